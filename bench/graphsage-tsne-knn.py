"""What 3-D t-SNE coordinates carry about GTZAN genres: scikit-learn kNN (k = 5) on the standardised
features and on a 3-D t-SNE of the training fold, a held-out track placed at the distance-weighted
mean t-SNE position of its 10 nearest training tracks in feature space (as Genrelab's GraphSAGE
places new tracks). Stratified 5-fold (scikit-learn's own folds, random_state 1). Prints JSON.

Usage: python3 bench/graphsage-tsne-knn.py features_30_sec.csv
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.manifold import TSNE
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.preprocessing import StandardScaler

t0 = time.time()
df = pd.read_csv(sys.argv[1])
X = df.drop(columns=['filename', 'length', 'label']).values
y = df['label'].values
on_tsne, on_features = [], []
for tr, te in StratifiedKFold(5, shuffle=True, random_state=1).split(X, y):
    sc = StandardScaler().fit(X[tr])
    xtr, xte = sc.transform(X[tr]), sc.transform(X[te])
    pos = TSNE(3, random_state=0, init='random', learning_rate=200).fit_transform(xtr)
    d, idx = NearestNeighbors(n_neighbors=10).fit(xtr).kneighbors(xte)
    w = 1 / (d + 1e-9)
    placed = (pos[idx] * w[..., None]).sum(1) / w.sum(1)[:, None]
    on_tsne.append(float((KNeighborsClassifier(5).fit(pos, y[tr]).predict(placed) == y[te]).mean()))
    on_features.append(float((KNeighborsClassifier(5).fit(xtr, y[tr]).predict(xte) == y[te]).mean()))
import sklearn
print(json.dumps({'knnTsne': float(np.mean(on_tsne)), 'knnFeatures': float(np.mean(on_features)), 'seconds': time.time() - t0, 'sklearn': sklearn.__version__}))
