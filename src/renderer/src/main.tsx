import React from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './client';
import { App, FatalPanel } from './shell/App';
import type { Models } from './shell/views';
import { AppModel } from './state/app';
import { LibraryModel } from './state/library';
import { MapModel } from './state/map';
import { RunsModel } from './state/runs';
import { TrainingModel } from './state/training';
import { TreeModel } from './state/tree';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

function boot(): void {
  let models: Models;
  try {
    const client = createClient();
    const app = new AppModel(client);
    const library = new LibraryModel(app);
    const training = new TrainingModel(app, library);
    const runs = new RunsModel(app, library);
    const map = new MapModel(app, library);
    const tree = new TreeModel(app, library);
    models = { app, library, training, runs, map, tree };
    library.start();
    training.start();
    runs.start();
    map.start();
    tree.start();
    app.start();
  } catch (err) {
    document.body.dataset.appState = 'error';
    root.render(
      <div className="shell shell-fatal">
        <FatalPanel message={err instanceof Error ? err.message : String(err)} />
      </div>,
    );
    return;
  }
  root.render(
    <React.StrictMode>
      <App models={models} />
    </React.StrictMode>,
  );
}

boot();
