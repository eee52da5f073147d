// Plotting engine: figures as SVG and PNG in plain Node (no canvas, no browser, no native code).
export { confusionPng, confusionScene, confusionSvg, type ConfusionLayout, type ConfusionOptions } from './confusion';
export { lineChartPng, lineChartScene, lineChartSvg, linePng, type LineChartLayout, type LineChartOptions, type LineSeries } from './lines';
export { colourMap, contrastRatio, contrastText, parseColour, relativeLuminance, TAB10, toHex, type ColourMap, type ColourMapName, type Rgba } from './colour';
export { FONT_NAMES, getFont, type BitmapFont, type FontName } from './font';
export { crc32, decodePng, encodePng, readPngChunks, PNG_SIGNATURE, type DecodedPng, type PngChunk, type PngEncodeOptions } from './png';
export { measureText, Raster, textBox, type Box, type TextAnchor, type TextBaseline, type TextMetrics, type TextRotation, type TextStyle } from './raster';
export { fitText, sceneToRaster, sceneToSvg, svgTextWidth, textWidth, xmlEscape, type Scene, type Shape } from './scene';
export { formatTick, formatTicks, niceTicks, tickDecimals, type TickOptions } from './ticks';
