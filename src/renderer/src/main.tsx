import React from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './client';
import { App, FatalPanel } from './shell/App';
import type { Models } from './shell/views';
import { AppModel } from './state/app';
import { LibraryModel } from './state/library';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

function boot(): void {
  let models: Models;
  try {
    const client = createClient();
    const app = new AppModel(client);
    const library = new LibraryModel(app);
    models = { app, library };
    library.start();
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
