import React from 'react';
import { VIEWS } from './views';

const ROWS: Array<[string, string]> = [
  ['Space', 'Play / pause the open track'],
  ['← / →', 'Seek 5 s back / forward'],
  ['↑ / ↓', 'Previous / next track in the table'],
  ['/', 'Filter the track table'],
  ['Esc', 'Clear the filter, close this panel'],
  ['Ctrl / ⌘ + Enter', 'Start: train (Training), build the map (Map), dream (Dream), run the probe (Probes)'],
  ['?', 'Show or hide this panel'],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {VIEWS.filter((v) => v.available).map((v) => (
              <tr key={v.id}>
                <td>
                  <kbd>{v.key}</kbd>
                </td>
                <td>Open {v.title}</td>
              </tr>
            ))}
            {ROWS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">Shortcuts are off while you type in a text field.</p>
        <div className="modal-actions">
          <button className="btn" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
