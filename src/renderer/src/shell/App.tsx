import React, { useEffect, useState, useSyncExternalStore } from 'react';
import { deriveAppState } from '../state/app';
import { useStore } from '../state/store';
import { LibraryView } from '../views/library/LibraryView';
import { MapView } from '../views/map/MapView';
import { HyperbolicView } from '../views/hyperbolic/HyperbolicView';
import { RunsView } from '../views/RunsView';
import { TrainingView } from '../views/TrainingView';
import { TreeView } from '../views/tree/TreeView';
import { ProbesView } from '../views/probes/ProbesView';
import { DreamView } from '../views/dream/DreamView';
import { isPlainKey, isTypingTarget, useKeydown } from '../lib/keys';
import { DropOverlay, useWindowDrop } from './DropOverlay';
import { Notices } from './Notices';
import { ShortcutsDialog } from './ShortcutsDialog';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';
import { type Models, VIEWS, type ViewId, viewFromHash } from './views';

function ViewHost({ view, models }: { view: ViewId; models: Models }): React.JSX.Element {
  switch (view) {
    case 'library':
      return <LibraryView models={models} />;
    case 'training':
      return <TrainingView models={models} />;
    case 'runs':
      return <RunsView models={models} />;
    case 'map':
      return <MapView models={models} />;
    case 'tree':
      return <TreeView models={models} />;
    case 'hyperbolic':
      return <HyperbolicView models={models} />;
    case 'probes':
      return <ProbesView models={models} />;
    case 'dream':
      return <DreamView models={models} />;
    default:
      return <LibraryView models={models} />;
  }
}

export function App({ models }: { models: Models }): React.JSX.Element {
  const app = useStore(models.app);
  const lib = useStore(models.library);
  // Only the backend's name: the training model changes many times a second while it trains.
  const backend = useSyncExternalStore(models.training.subscribe, () => models.training.get().backend?.backend ?? null);
  const [view, setView] = useState<ViewId>(() => viewFromHash(window.location.hash));
  const [help, setHelp] = useState(false);

  const appState = deriveAppState(app, lib.loaded);
  useEffect(() => {
    document.body.dataset.appState = appState;
  }, [appState]);

  useEffect(() => {
    const onHash = (): void => setView(viewFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const open = (id: ViewId): void => {
    if (window.location.hash !== `#/${id}`) window.history.replaceState(window.history.state, '', `#/${id}`);
    setView(id);
  };

  useKeydown((e) => {
    if (isTypingTarget(e.target) || !isPlainKey(e)) return false;
    if (e.key === '?') {
      setHelp((h) => !h);
      return true;
    }
    if (e.key === 'Escape' && help) {
      setHelp(false);
      return true;
    }
    const v = VIEWS.find((x) => x.key === e.key && x.available);
    if (v) {
      open(v.id);
      return true;
    }
    return false;
  });

  const dragging = useWindowDrop((files) => {
    open('library');
    void models.library.drop(files);
  });

  const transport = models.app.client.transport === 'ipc' ? 'Electron' : 'Browser';
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Genrelab</span>
          {app.info && <span className="brand-version">v{app.info.version}</span>}
        </div>
        <div className="topbar-title">{VIEWS.find((v) => v.id === view)?.title}</div>
        <div className="topbar-right">
          <span className={`chip chip-transport`} title="How this window talks to the Genrelab engine">
            {transport}
          </span>
          <button className="btn btn-ghost btn-small" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
            Shortcuts
          </button>
        </div>
      </header>
      <Sidebar current={view} onOpen={open} />
      <main className="main" aria-busy={appState === 'busy'}>
        {app.info !== null && app.link.status !== 'open' && (
          <div className="link-banner" role="status">
            <span className="spinner spinner-small" aria-hidden="true" />
            {app.link.status === 'closed'
              ? 'Disconnected from the Genrelab engine.'
              : appState === 'error'
                ? 'Cannot reach the Genrelab engine. Is it still running? Still trying…'
                : 'Connection lost; reconnecting…'}
          </div>
        )}
        {app.fatal && app.info === null ? (
          <FatalPanel message={app.fatal} />
        ) : app.info === null ? (
          <ConnectingPanel message={app.link.message} attempts={app.link.attempts} failing={appState === 'error'} />
        ) : (
          <ViewHost view={view} models={models} />
        )}
      </main>
      <StatusBar app={app} transport={transport} backend={backend} />
      <Notices notices={app.notices} onDismiss={(id) => models.app.dismiss(id)} />
      {dragging && <DropOverlay />}
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </div>
  );
}

function ConnectingPanel(props: { message: string | null; attempts: number; failing: boolean }): React.JSX.Element {
  return (
    <div className="center-panel">
      {props.failing ? (
        <>
          <h2>Cannot reach the Genrelab engine</h2>
          <p className="muted">
            Is <code>genrelab serve</code> still running, and was this page opened with the address it printed? Still
            trying…
          </p>
          {props.message && <p className="muted small">{props.message}</p>}
        </>
      ) : (
        <>
          <div className="spinner" aria-hidden="true" />
          <p className="muted">Connecting to the Genrelab engine…</p>
        </>
      )}
    </div>
  );
}

export function FatalPanel({ message }: { message: string }): React.JSX.Element {
  return (
    <div className="center-panel">
      <h2>Genrelab cannot start</h2>
      <p className="muted">{message}</p>
    </div>
  );
}
