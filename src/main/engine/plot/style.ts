// The house style shared by the figures: margins, ink colours, fonts, and the title block.
import { getFont, type FontName } from './font';
import { fitText, textWidth, type TextShape } from './scene';

/** Outer margin of every figure, in pixels. */
export const PAD = 16;
export const INK = '#262626';
export const MUTED = '#595959';
export const TITLE_FONT: FontName = '9x15B';
export const SUBTITLE_FONT: FontName = '6x13';
export const AXIS_TITLE_FONT: FontName = '6x13B';
export const TICK_FONT: FontName = '6x13';

export interface Heading {
  /** Title and subtitle as drawn (shortened with "…" to the allowed width). */
  title: string;
  subtitle: string;
  /** Width of the wider of the two lines. */
  width: number;
  /** y where the figure's content may start (below the heading and a 14-px gap). */
  bottom: number;
  /** The text shapes, centred on x = centre. */
  shapes(centre: number): TextShape[];
}

/** The title block at the top of a figure: a bold title and an optional muted subtitle. */
export function heading(title: string, subtitle: string | undefined, maxWidth: number): Heading {
  const t = fitText(title, maxWidth, TITLE_FONT);
  const s = subtitle ? fitText(subtitle, maxWidth, SUBTITLE_FONT) : '';
  const subTop = PAD + getFont(TITLE_FONT).height + 4;
  return {
    title: t,
    subtitle: s,
    width: Math.max(textWidth(t, TITLE_FONT), s ? textWidth(s, SUBTITLE_FONT) : 0),
    bottom: (s ? subTop + getFont(SUBTITLE_FONT).height : PAD + getFont(TITLE_FONT).height) + 14,
    shapes: (centre) => [
      { kind: 'text', x: centre, y: PAD, text: t, font: TITLE_FONT, colour: INK, anchor: 'middle', baseline: 'top' },
      ...(s ? [{ kind: 'text', x: centre, y: subTop, text: s, font: SUBTITLE_FONT, colour: MUTED, anchor: 'middle', baseline: 'top' } as TextShape] : []),
    ],
  };
}
