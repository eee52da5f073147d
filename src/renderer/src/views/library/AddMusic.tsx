import React, { useEffect, useRef, useState } from 'react';
import type { AppInfo } from '../../../../shared/types';
import { IconInput } from '../../shell/IconInput';
import { IconFolder, IconSparkle } from '../../shell/icons';
import type { LibraryModel, LibraryState } from '../../state/library';

export const SYNTHETIC_NOTE =
  "The demo clips are synthetic: Genrelab's own synthesiser makes them from drum patterns, bass lines, chords and timbres that differ by style. They are not real music.";

interface Props {
  model: LibraryModel;
  state: LibraryState;
  info: AppInfo;
  variant: 'hero' | 'bar';
}

/** The path box, "Add folder", "Choose folder…" and "Load demo library". */
export function AddMusic({ model, state, info, variant }: Props): React.JSX.Element {
  const [path, setPath] = useState('');
  const [profile, setProfile] = useState(info.defaultProfile);
  const input = useRef<HTMLInputElement>(null);
  const busy = state.jobId !== null;

  useEffect(() => {
    if (state.focusPathTick > 0) input.current?.focus();
  }, [state.focusPathTick]);

  const submit = async (): Promise<void> => {
    if (await model.addFolder(path, profile)) setPath('');
  };

  return (
    <div className={`add-music add-music-${variant}`}>
      <form
        className="path-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <IconInput
          icon={<IconFolder size={16} className="input-icon" />}
          ref={input}
          className="path-input"
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="/path/to/a/music/folder"
          aria-label="Folder path"
          data-testid="path-input"
          value={path}
          onChange={(e) => {
            setPath(e.target.value);
            if (state.dropHint) model.setPathHint(null);
          }}
        />
        {info.profiles.length > 1 && (
          <select
            className="select"
            aria-label="Feature profile"
            title={info.profiles.find((q) => q.name === profile)?.description}
            value={profile}
            onChange={(e) => setProfile(e.target.value)}
            data-testid="add-profile"
          >
            {info.profiles.map((q) => (
              <option key={q.name} value={q.name}>
                {q.name}
              </option>
            ))}
          </select>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="add-folder">
          Add folder
        </button>
        {info.canPickFolder && (
          <button className="btn" type="button" disabled={busy} onClick={() => void model.pickFolder()}>
            Choose folder…
          </button>
        )}
        {variant === 'bar' && (
          <button
            className="btn btn-ghost"
            type="button"
            disabled={busy}
            onClick={() => void model.loadDemo()}
            title={SYNTHETIC_NOTE}
            data-testid="load-demo"
          >
            <IconSparkle size={15} /> Load demo library
          </button>
        )}
      </form>
      {state.dropHint && (
        <p className="hint hint-warn" role="status" data-testid="drop-hint">
          {state.dropHint}
        </p>
      )}
      {variant === 'hero' && (
        <div className="demo-offer">
          <button
            className="btn"
            type="button"
            disabled={busy}
            onClick={() => void model.loadDemo()}
            data-testid="load-demo"
          >
            <IconSparkle size={15} /> Load demo library
          </button>
          <p className="muted small">{SYNTHETIC_NOTE}</p>
        </div>
      )}
    </div>
  );
}
