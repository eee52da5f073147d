// Schema migrations, applied in order; the index + 1 is the schema version (PRAGMA user_version).
// Never edit a migration that has shipped: add a new one.
export const MIGRATIONS: string[] = [
  // 1: library index and feature cache
  `
  CREATE TABLE folders (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL,
    profile TEXT NOT NULL
  );
  CREATE TABLE tracks (
    id INTEGER PRIMARY KEY,
    folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    rel_path TEXT NOT NULL,
    size INTEGER,
    mtime_ms REAL,
    label TEXT,
    label_source TEXT,
    duration REAL,
    sample_rate INTEGER,
    channels INTEGER,
    format TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'no-audio')),
    reason TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (folder_id, path)
  );
  CREATE INDEX tracks_folder ON tracks(folder_id);
  CREATE TABLE feature_sets (
    id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL,
    settings TEXT NOT NULL,
    columns TEXT NOT NULL,
    UNIQUE (profile, settings)
  );
  CREATE TABLE features (
    track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    set_id INTEGER NOT NULL REFERENCES feature_sets(id) ON DELETE CASCADE,
    track_vec BLOB NOT NULL,
    seg_vecs BLOB,
    n_segments INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (track_id, set_id)
  );
  `,
  // 2: training runs, their per-track predictions and saved models
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    model TEXT NOT NULL,
    model_label TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    profile TEXT NOT NULL,
    segments INTEGER NOT NULL,
    evaluation TEXT NOT NULL,
    request TEXT NOT NULL,
    params TEXT NOT NULL,
    metrics TEXT NOT NULL,
    curves TEXT NOT NULL,
    accuracy REAL NOT NULL,
    macro_f1 REAL NOT NULL,
    track_accuracy REAL,
    n INTEGER NOT NULL,
    backend TEXT NOT NULL,
    seconds REAL NOT NULL,
    model_dir TEXT
  );
  CREATE TABLE run_predictions (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    predicted TEXT NOT NULL,
    confidence REAL NOT NULL,
    fold INTEGER NOT NULL,
    probs BLOB NOT NULL,
    segments TEXT,
    PRIMARY KEY (run_id, pos)
  );
  `,
  // 3: folders written by the demo synthesiser are marked, so the UI can say their audio is synthetic
  `ALTER TABLE folders ADD COLUMN synthetic INTEGER NOT NULL DEFAULT 0;`,
  // 4: latent maps (projections of tracks) and their clustering sweeps
  `
  CREATE TABLE maps (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    method TEXT NOT NULL,
    dims INTEGER NOT NULL,
    n INTEGER NOT NULL,
    source TEXT NOT NULL,
    request TEXT NOT NULL,
    points BLOB NOT NULL,
    meta TEXT NOT NULL,
    labels TEXT NOT NULL,
    warnings TEXT NOT NULL,
    trustworthiness REAL,
    seconds REAL NOT NULL,
    clusters TEXT
  );
  `,
  // hyperbolic genre space: imported co-occurrence tables (source text gzipped, so a graph can be
  // rebuilt directed or undirected) and the embeddings trained on them
  `
  CREATE TABLE IF NOT EXISTS genre_graphs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source_path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('items', 'edges')),
    directed INTEGER NOT NULL,
    tau REAL,
    nodes INTEGER NOT NULL,
    edges INTEGER NOT NULL,
    report TEXT NOT NULL,
    source_gz BLOB NOT NULL
  );
  CREATE TABLE IF NOT EXISTS embeddings (
    id INTEGER PRIMARY KEY,
    graph_id INTEGER REFERENCES genre_graphs(id) ON DELETE SET NULL,
    pair_id INTEGER,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    model TEXT NOT NULL CHECK (model IN ('poincare', 'euclidean')),
    dim INTEGER NOT NULL,
    nodes INTEGER NOT NULL,
    edges INTEGER NOT NULL,
    settings TEXT NOT NULL,
    names TEXT NOT NULL,
    vectors BLOB NOT NULL,
    adjacency BLOB,
    evaluation TEXT,
    losses TEXT NOT NULL,
    seconds REAL NOT NULL
  );
  `,
  // latent probes (pitch / tempo transforms between a model's embeddings) and out-of-domain tracks
  // placed into stored maps
  `
  CREATE TABLE IF NOT EXISTS probes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    model TEXT NOT NULL,
    source TEXT NOT NULL,
    clips INTEGER NOT NULL,
    dims INTEGER NOT NULL,
    seconds REAL NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS map_placements (
    id INTEGER PRIMARY KEY,
    map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL,
    folder_path TEXT NOT NULL,
    method TEXT NOT NULL,
    n INTEGER NOT NULL,
    dims INTEGER NOT NULL,
    points BLOB NOT NULL,
    detail TEXT NOT NULL
  );
  `,
  // genre dreams: settings, distance curve, figures, the WAV and a small spectrogram picture
  `
  CREATE TABLE IF NOT EXISTS dreams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    genre TEXT NOT NULL,
    seconds REAL NOT NULL,
    settings TEXT NOT NULL,
    labels TEXT NOT NULL,
    curve BLOB NOT NULL,
    refine_from INTEGER,
    figures TEXT NOT NULL,
    target_probability REAL NOT NULL,
    distance_start REAL NOT NULL,
    distance_audio REAL NOT NULL,
    nearest_genre TEXT NOT NULL,
    elapsed REAL NOT NULL,
    timings TEXT NOT NULL,
    wav BLOB NOT NULL,
    spec_rows INTEGER NOT NULL,
    spec_cols INTEGER NOT NULL,
    spectrogram BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS dreams_run ON dreams(run_id);
  `,
];
