import React, { useRef } from 'react';
import { formatInt, plural } from '../../lib/format';
import { isPlainKey, isTypingTarget, useKeydown } from '../../lib/keys';
import { IconInput } from '../../shell/IconInput';
import { IconDownload, IconSearch } from '../../shell/icons';
import type { Models } from '../../shell/views';
import { useStore } from '../../state/store';
import { WaveformPanel } from '../waveform/WaveformPanel';
import { AddMusic } from './AddMusic';
import { FolderList } from './FolderList';
import { JobPanel } from './JobPanel';
import { LabelChips } from './LabelChips';
import { TrackTable } from './TrackTable';

export function LibraryView({ models }: { models: Models }): React.JSX.Element {
  const model = models.library;
  const s = useStore(model);
  const app = useStore(models.app);
  const filter = useRef<HTMLInputElement>(null);
  const { rows, labels } = model.rows();
  const info = app.info!;
  const busy = s.jobId !== null;
  const empty = s.loaded && s.folders.length === 0 && s.tracks.length === 0;
  const selected = s.selectedTrackId === null ? null : (s.tracks.find((t) => t.id === s.selectedTrackId) ?? null);
  const inFolder = s.folderFilter === null ? s.tracks.length : s.tracks.filter((t) => t.folderId === s.folderFilter).length;

  useKeydown((e) => {
    if (e.key === 'Escape' && e.target === filter.current) {
      model.setQuery('');
      filter.current?.blur();
      return true;
    }
    if (isTypingTarget(e.target) || !isPlainKey(e)) return false;
    if (e.key === '/') {
      filter.current?.focus();
      return true;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      model.selectRelative(e.key === 'ArrowDown' ? 1 : -1);
      return true;
    }
    return false;
  });

  if (empty) {
    return (
      <div className="library library-empty">
        <div className="hero">
          <div className="hero-art" aria-hidden="true">
            <span />
            <span />
            <span />
            <span />
            <span />
          </div>
          <h1>Drag a music folder here, or load the demo library</h1>
          <p className="muted">
            Genrelab scans the folder and its sub-folders, decodes every audio file and extracts its features. Labels
            come from a <code>labels.csv</code> beside the music, the files' genre tags, or the folder names
            (<code>blues/blues.00000.wav</code>). Your files are read where they lie and never changed.
          </p>
          <AddMusic model={model} state={s} info={info} variant="hero" />
          <JobPanel model={model} state={s} app={app} />
        </div>
      </div>
    );
  }

  return (
    <div className="library">
      <div className="library-top">
        <AddMusic model={model} state={s} info={info} variant="bar" />
        <JobPanel model={model} state={s} app={app} />
      </div>
      <div className="library-body">
        <FolderList folders={s.folders} total={s.tracks.length} current={s.folderFilter} busy={busy} model={model} />
        <section className="tracks-pane" aria-label="Tracks">
          <div className="tracks-toolbar">
            <IconInput
              icon={<IconSearch size={15} className="input-icon" />}
              wrapClassName="filter-wrap"
              ref={filter}
              type="search"
              placeholder="Filter by path, label or status   ( / )"
              aria-label="Filter tracks"
              data-testid="track-filter"
              value={s.query}
              onChange={(e) => model.setQuery(e.target.value)}
            />
            <span className="muted small count-line">
              {rows.length === inFolder ? plural(inFolder, 'track') : `${formatInt(rows.length)} of ${plural(inFolder, 'track')}`}
            </span>
            <span className="grow" />
            <button
              className="btn btn-small"
              onClick={() => void model.exportCsv()}
              disabled={s.exporting || s.tracks.length === 0}
              title={s.folderFilter === null ? 'Export the features of every folder' : 'Export the features of this folder'}
              data-testid="export-csv"
            >
              <IconDownload size={15} /> {s.exporting ? 'Exporting…' : 'Export features CSV'}
            </button>
          </div>
          <LabelChips labels={labels} query={s.query} onQuery={(q) => model.setQuery(q)} />
          <TrackTable
            rows={rows}
            total={s.tracks.length}
            selectedId={s.selectedTrackId}
            sort={s.sort}
            onSort={(k) => model.sortBy(k)}
            onSelect={model.select}
          />
        </section>
      </div>
      <WaveformPanel track={selected} client={models.app.client} />
    </div>
  );
}
