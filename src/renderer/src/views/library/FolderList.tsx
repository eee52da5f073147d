import React, { useEffect, useState } from 'react';
import type { LibraryFolder } from '../../../../shared/types';
import { plural } from '../../lib/format';
import { IconFolder, IconRefresh, IconTrash } from '../../shell/icons';
import type { LibraryModel } from '../../state/library';

function baseName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/** The parent of a folder, shortened from the left: "…/data/gtzan". */
function parentPath(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  parts.pop();
  const shown = parts.slice(-3).join('/');
  return parts.length > 3 ? `…/${shown}` : `/${shown}`;
}

function FolderItem(props: {
  f: LibraryFolder;
  active: boolean;
  busy: boolean;
  model: LibraryModel;
}): React.JSX.Element {
  const { f, active, busy, model } = props;
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    if (!confirming) return;
    const t = setTimeout(() => setConfirming(false), 4000);
    return () => clearTimeout(t);
  }, [confirming]);
  return (
    <li className={`folder${active ? ' active' : ''}`} data-folder-id={f.id}>
      <button className="folder-main" onClick={() => model.setFolderFilter(active ? null : f.id)} title={f.path}>
        <IconFolder size={16} className="folder-icon" />
        <span className="folder-text">
          <span className="folder-name">{baseName(f.path)}</span>
          <span className="folder-path mono">{parentPath(f.path)}</span>
          <span className="folder-counts">
            {plural(f.tracks, 'track')}
            {f.failed > 0 && <span className="text-err"> · {f.failed} failed</span>}
          </span>
        </span>
      </button>
      <div className="folder-actions">
        <button className="icon-btn" title="Rescan: pick up new and changed files" disabled={busy} onClick={() => void model.rescan(f.id)}>
          <IconRefresh size={15} />
        </button>
        {confirming ? (
          <button className="btn btn-small btn-danger" onClick={() => void model.removeFolder(f.id)} disabled={busy}>
            Remove?
          </button>
        ) : (
          <button className="icon-btn" title="Remove from the library (files stay on disk)" disabled={busy} onClick={() => setConfirming(true)}>
            <IconTrash size={15} />
          </button>
        )}
      </div>
    </li>
  );
}

export function FolderList(props: {
  folders: LibraryFolder[];
  total: number;
  current: number | null;
  busy: boolean;
  model: LibraryModel;
}): React.JSX.Element {
  const { folders, total, current, busy, model } = props;
  return (
    <aside className="folders" aria-label="Library folders">
      <div className="pane-title">Folders</div>
      <ul className="folder-list">
        <li className={`folder folder-all${current === null ? ' active' : ''}`}>
          <button className="folder-main" onClick={() => model.setFolderFilter(null)}>
            <span className="folder-text">
              <span className="folder-name">All folders</span>
              <span className="folder-counts">{plural(total, 'track')}</span>
            </span>
          </button>
        </li>
        {folders.map((f) => (
          <FolderItem key={f.id} f={f} active={current === f.id} busy={busy} model={model} />
        ))}
      </ul>
    </aside>
  );
}
