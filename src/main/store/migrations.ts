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
];
