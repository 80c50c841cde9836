"""The embedded index: one SQLite file, every batch checked and added in one transaction.

A batch's read-decide-write happens inside ``BEGIN IMMEDIATE … COMMIT``: a run killed at
any point leaves the file as it was after its last whole batch (SQLite's journal rolls the
rest back), and two processes sharing the file take turns batch by batch.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from toolkit.index.core import (
    Entry,
    IndexUnavailable,
    Match,
    Status,
    band_keys,
    check_params,
    containment,
    decide,
    same_text,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  of TEXT NOT NULL,
  added REAL NOT NULL,
  size INTEGER NOT NULL,
  sig BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_added ON docs (added);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS recent (key INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, origin TEXT NOT NULL, status TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (key TEXT PRIMARY KEY) WITHOUT ROWID;
"""
# ``decisions``: what was decided for each stored record and where it was read; ``runs``: the
# inputs of the runs under way. A run of inputs whose last run never finished (killed) gets the
# stored decisions of the records it reads from the same places again, so its records are those
# of a run that was never interrupted; any other record already indexed is "known" (an index made
# before these tables has no decisions: its records come back as "known", as they did).
# Band keys live in B-trees ordered by key: one tree per insert instead of the three a rowid
# table with a key index and a seq index needed (files made that way still open and work).
# Eviction finds an entry's keys again from its stored signature.
#
# Two levels, as in a log-structured merge: a batch adds its keys to the small ``recent``
# tree, which is folded into ``bands`` in key order once it holds MERGE_ROWS keys. Keys are
# random, so a batch's 21,000 inserts straight into the big tree dirtied most of its pages
# and every commit rewrote them (~50 MB of WAL a batch at 100,000 entries); the merge writes
# each page once per MERGE_ROWS keys instead. Lookups probe both trees.
MERGE_ROWS = 1 << 18
_LEVELS = ("bands", "recent")

# CROSS JOIN fixes the join order: from the batch's keys into the band index. Left to itself
# the planner scanned the whole bands table once per batch (1.5 ms a document at 100,000).
_PROBE = (
    "SELECT q.k, d.seq, d.id, d.of, d.size, d.sig FROM q CROSS JOIN {table} b ON b.key = q.key "
    "CROSS JOIN docs d ON d.seq = b.seq"
)
LOOKUP = " UNION ".join(_PROBE.format(table=t) for t in _LEVELS) + " ORDER BY 1, 2"


class SqliteIndex:
    kind = "sqlite"

    def __init__(self, path: str | Path, params: dict[str, Any], create: bool = True) -> None:
        self.path = Path(path)
        self.params = params
        if not create and not self.path.exists():
            raise IndexUnavailable(f"{self.path}: no index here")
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(self.path), timeout=60.0, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # the recent tree and the band pages a batch touches stay in memory (default: 2 MB)
            self.db.execute("PRAGMA cache_size=-65536")
            # a damaged file must not be trusted silently: SQLite's quick check (page structure,
            # linear in the file) on every open; 'wirecheck index check' runs the full one
            problems = self.check(full=False)
            if problems:
                raise IndexUnavailable(
                    f"{self.path}: the index is damaged ({problems[0]}); restore it from a copy, or "
                    "'wirecheck index drop' it and start again"
                )
            self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key = 'params'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise IndexUnavailable(f"{self.path}: not a wirecheck index, or a damaged one ({exc})") from None
        if row is None:
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('params', ?)", (json.dumps(params, sort_keys=True),))
            row = self.db.execute("SELECT value FROM meta WHERE key = 'params'").fetchone()
        self.stored = json.loads(row[0])
        self.replaying = False
        if params:
            check_params(self.stored, params, f"index {self.path}")

    def check(self, full: bool = True) -> list[str]:
        """SQLite's integrity check (``full``) or quick check: the problems found, none when sound."""
        pragma = "integrity_check" if full else "quick_check"
        rows = [str(r[0]) for r in self.db.execute(f"PRAGMA {pragma}")]
        return [] if rows == ["ok"] else rows

    def resolve(self, entries: list[Entry], keys: np.ndarray, dry_run: bool = False) -> dict[str, Status]:
        """Check a batch against the index and add it, atomically. ``keys``: (entries, bands) int64.
        ``dry_run``: check only (the transaction is rolled back)."""
        with self._failing():
            return self._resolve(entries, keys, dry_run)

    @contextlib.contextmanager
    def _failing(self) -> Iterator[None]:
        """SQLite failing mid-run (a damaged page, a locked file) as an index error: exit 2."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise IndexUnavailable(
                f"{self.path}: the index failed mid-run ({exc}); check it: wirecheck index check"
            ) from None

    def _resolve(self, entries: list[Entry], keys: np.ndarray, dry_run: bool) -> dict[str, Status]:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            ids = [e.id for e in entries]
            by_id = {e.id: e for e in entries}
            threshold = float(self.stored.get("copy_containment", 0.7))
            known: dict[str, str] = {}
            reused: set[str] = set()
            replay: dict[str, Status] = {}
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                marks = ",".join("?" * len(part))
                q = f"SELECT id, of, size, sig FROM docs WHERE id IN ({marks})"
                for did, of, size, sig in db.execute(q, part):
                    if same_text(by_id[did], np.frombuffer(sig, dtype="<u4"), int(size), threshold):
                        known[did] = of
                    else:
                        reused.add(did)
                q = f"SELECT id, origin, status FROM decisions WHERE id IN ({marks})"
                for did, origin, stored in db.execute(q, part) if self.replaying else ():
                    if did in known and origin and origin == by_id[did].origin:
                        replay[did] = Status.from_dict(json.loads(stored))
            matches = self._matches(entries, keys, known)
            status = decide(entries, matches, known, frozenset(reused), replay)
            rows: list[tuple[int, int]] = []
            for k, e in enumerate(entries):
                if e.id in known or e.id in reused:
                    continue
                cur = db.execute(
                    "INSERT INTO docs (id, of, added, size, sig) VALUES (?, ?, ?, ?, ?)",
                    (e.id, e.of, e.added, e.size, e.sig.astype("<u4").tobytes()),
                )
                db.execute(
                    "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?)",
                    (e.id, e.origin, json.dumps(status[e.id].to_dict(), sort_keys=True)),
                )
                if e.size:
                    seq = int(cur.lastrowid or 0)
                    rows.extend((x, seq) for x in keys[k].tolist())
            rows.sort()
            before = db.total_changes
            db.executemany("INSERT OR IGNORE INTO recent VALUES (?, ?)", rows)
            # kept in meta, in this transaction: COUNT(*) reads the whole table, a cost per batch
            # that grew with it up to MERGE_ROWS
            recent = self._recent_rows() + db.total_changes - before
            if not dry_run and recent >= MERGE_ROWS:
                self._merge()
                recent = 0
            db.execute("INSERT OR REPLACE INTO meta VALUES ('recent_rows', ?)", (str(recent),))
            db.execute("ROLLBACK" if dry_run else "COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return status

    def _recent_rows(self) -> int:
        """Rows in ``recent``: from meta, counted once in an index written before it was kept."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'recent_rows'").fetchone()
        return int(row[0]) if row else int(self.db.execute("SELECT COUNT(*) FROM recent").fetchone()[0])

    def _merge(self) -> None:
        """Fold the recent band keys into the main tree, in key order (inside the caller's transaction)."""
        self.db.execute("INSERT OR IGNORE INTO bands SELECT key, seq FROM recent ORDER BY key, seq")
        self.db.execute("DELETE FROM recent")

    def _matches(self, entries: list[Entry], keys: np.ndarray, known: dict[str, str]) -> dict[str, list[Match]]:
        db = self.db
        rows = [(int(x), k) for k, e in enumerate(entries) if e.size and e.id not in known for x in keys[k]]
        if not rows:
            return {}
        db.execute("CREATE TEMP TABLE IF NOT EXISTS q (key INTEGER NOT NULL, k INTEGER NOT NULL)")
        db.execute("DELETE FROM q")
        db.executemany("INSERT INTO q VALUES (?, ?)", rows)
        found = db.execute(LOOKUP).fetchall()
        db.execute("DELETE FROM q")
        by_entry: dict[int, list[tuple[int, str, str, int, bytes]]] = {}
        for k, seq, did, of, size, sig in found:
            by_entry.setdefault(k, []).append((seq, did, of, size, sig))
        threshold = float(self.stored.get("copy_containment", 0.7))
        out: dict[str, list[Match]] = {}
        for k, cands in by_entry.items():
            e = entries[k]
            sigs = np.frombuffer(b"".join(c[4] for c in cands), dtype="<u4").reshape(len(cands), -1)
            sizes = np.array([c[3] for c in cands], dtype=np.float64)
            score = containment(e.sig, e.size, sigs, sizes)
            out[e.id] = [
                Match(c[0], c[1], c[2], round(float(s), 4))
                for c, s in zip(cands, score, strict=True)
                if s >= threshold and c[1] != e.id
            ]
        return out

    def stats(self) -> dict[str, Any]:
        n, lo, hi = self.db.execute("SELECT COUNT(*), MIN(added), MAX(added) FROM docs").fetchone()
        stories = self.db.execute("SELECT COUNT(*) FROM docs WHERE of = id").fetchone()[0]
        bands = sum(self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in _LEVELS)
        return {"backend": "sqlite", "location": str(self.path), "documents": n, "stories": stories,
                "band_keys": bands, "oldest": lo, "newest": hi, "bytes": self.path.stat().st_size,
                "parameters": self.stored}  # fmt: skip

    def evict(self, before: float, batch: int = 10_000) -> int:
        """Remove entries added before ``before`` (unix seconds), ``batch`` per transaction."""
        total = 0
        while True:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                old = self.db.execute(
                    "SELECT seq, size, sig, id FROM docs WHERE added < ? LIMIT ?", (before, batch)
                ).fetchall()
                seqs = [r[0] for r in old]
                self.db.executemany("DELETE FROM decisions WHERE id = ?", [(r[3],) for r in old])
                signed = [(seq, sig) for seq, size, sig, _ in old if size]
                if signed:
                    rows = list(self._band_rows(signed))
                    for table in _LEVELS:
                        self.db.executemany(f"DELETE FROM {table} WHERE key = ? AND seq = ?", rows)
                    self.db.execute("DELETE FROM meta WHERE key = 'recent_rows'")  # counted again when next needed
                if seqs:
                    marks = ",".join("?" * len(seqs))
                    self.db.execute(f"DELETE FROM docs WHERE seq IN ({marks})", seqs)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            total += len(seqs)
            if len(seqs) < batch:
                return total

    def _band_rows(self, signed: list[tuple[int, bytes]]) -> Iterator[tuple[int, int]]:
        """(band key, seq) of stored entries, from their signatures (as they were added)."""

        sigs = np.frombuffer(b"".join(sig for _, sig in signed), dtype="<u4").reshape(len(signed), -1)
        bands, rows = int(self.stored["bands"]), int(self.stored["rows"])
        keys = np.stack(band_keys(sigs, bands, rows), axis=1).view(np.int64)
        for (seq, _), row in zip(signed, keys.tolist(), strict=True):
            for key in row:
                yield key, seq

    def drop(self) -> None:
        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def begin_run(self, key: str) -> bool:
        """Mark a run of the inputs ``key`` under way; True when the last one never finished."""
        with self._failing():
            self.replaying = self.db.execute("SELECT 1 FROM runs WHERE key = ?", (key,)).fetchone() is not None
            self.db.execute("INSERT OR IGNORE INTO runs VALUES (?)", (key,))
        return self.replaying

    def end_run(self, key: str) -> None:
        with self._failing():
            self.db.execute("DELETE FROM runs WHERE key = ?", (key,))

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
