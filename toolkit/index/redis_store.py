"""The shared index: Redis, through datasketch's ``MinHashLSH`` Redis storage, for several
workers or machines.

Keys (all under one fixed basename, ``wirecheck`` unless the URL says ``?basename=``):
datasketch's band tables (``<basename>_bucket_…``, ``<basename>_keys``), and ours:
``<basename>:params`` (what the index is bound to), ``<basename>:docs`` (a hash: id →
sequence number, story, size, signature), ``<basename>:added`` (a sorted set by time, for
eviction), ``<basename>:seq`` (a counter) and ``<basename>:runs`` (the inputs of runs under way,
whose records a killed run's re-run gets back as decided). Keys are bytes and never pickled: nothing read
back from a shared server is unpickled.

Two workers may add the same story at the same moment. A batch's look-up and insertion run
under a lock held in Redis (``<basename>:lock``, ``SET NX`` with an expiry, so a killed
worker's lock lapses): the second worker's batch sees the first one's entries, and a story is
kept once even when a worker stalls between taking its sequence numbers and inserting (tested
with a stall injected there; without the lock both workers kept every story). Inside, each
batch is inserted first and queried after, and a document is a duplicate when it matches an
entry with a smaller sequence number.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np

from toolkit.dedup.minhash import lean
from toolkit.index.core import (
    Entry,
    IndexUnavailable,
    Match,
    Status,
    check_params,
    containment,
    decide,
    same_text,
)

# a batch's look-up and insertion take well under a second per thousand documents; a worker
# killed while holding the lock delays the others by at most LOCK_SECONDS
LOCK_SECONDS = 60
LOCK_WAIT = 300


class RedisIndex:
    kind = "redis"

    def __init__(self, url: str, params: dict[str, Any], create: bool = True) -> None:
        import redis

        u = urlparse(url)
        query = parse_qs(u.query)
        self.basename = (query.get("basename") or ["wirecheck"])[0]
        self.url = url
        self.params = params
        db = int((u.path or "/0").strip("/") or 0)
        self.conn_args: dict[str, Any] = {"host": u.hostname or "127.0.0.1", "port": u.port or 6379, "db": db}
        if u.password:
            self.conn_args["password"] = u.password
        self.r: Any = redis.Redis(**self.conn_args, socket_connect_timeout=5)
        b = self.basename
        self.k_params, self.k_docs, self.k_added, self.k_seq = f"{b}:params", f"{b}:docs", f"{b}:added", f"{b}:seq"
        self.k_runs = f"{b}:runs"
        try:
            if create and params:
                self.r.set(self.k_params, json.dumps(params, sort_keys=True), nx=True)
            raw = self.r.get(self.k_params)
        except redis.exceptions.RedisError as exc:
            raise IndexUnavailable(f"{_safe(url)}: cannot reach Redis ({exc})") from None
        if raw is None:
            raise IndexUnavailable(f"{_safe(url)}: no wirecheck index under basename {self.basename!r}")
        self.stored = json.loads(raw)
        self.replaying = False  # set by begin_run: the last run of these inputs was killed
        if params:
            check_params(self.stored, params, f"index {_safe(url)} (basename {self.basename!r})")
        self._lsh: Any = None

    @property
    def lsh(self) -> Any:
        if self._lsh is None:
            from datasketch import MinHashLSH

            self._lsh = MinHashLSH(
                num_perm=self.stored["num_perm"],
                params=(self.stored["bands"], self.stored["rows"]),
                storage_config={"type": "redis", "basename": self.basename.encode(), "redis": self.conn_args},
                prepickle=False,
            )
        return self._lsh

    def _minhash(self, sig: np.ndarray) -> Any:
        return lean(sig, int(self.stored["seed"]))

    def resolve(self, entries: list[Entry], keys: np.ndarray, dry_run: bool = False) -> dict[str, Status]:
        """Insert the batch, then query it, under the index's lock (see the module's note on
        concurrent workers). ``dry_run``: query only, nothing written."""
        import redis

        del keys  # datasketch computes its own band keys from the signatures
        lock = self.r.lock(f"{self.basename}:lock", timeout=LOCK_SECONDS, blocking_timeout=LOCK_WAIT)
        with self._failing():
            if not lock.acquire():
                raise IndexUnavailable(f"{_safe(self.url)}: another worker has held the index for over {LOCK_WAIT} s")
            try:
                return self._resolve(entries, dry_run)
            finally:
                with contextlib.suppress(redis.exceptions.LockError):
                    lock.release()  # lapsed meanwhile: another worker may hold it now, and keeps it

    @contextlib.contextmanager
    def _failing(self) -> Iterator[None]:
        """Redis failing mid-run (gone, out of memory) as an index error: exit 2."""
        import redis

        try:
            yield
        except redis.exceptions.RedisError as exc:
            raise IndexUnavailable(f"{_safe(self.url)}: Redis failed mid-run ({exc})") from None

    def _resolve(self, entries: list[Entry], dry_run: bool) -> dict[str, Status]:
        r = self.r
        ids = [e.id for e in entries]
        raw = r.hmget(self.k_docs, ids) if ids else []
        threshold = float(self.stored.get("copy_containment", 0.7))
        known: dict[str, str] = {}
        reused: set[str] = set()
        replay: dict[str, Status] = {}  # decisions to give again to a re-run of the same input
        for e, v in zip(entries, raw, strict=True):
            if v is None:
                continue
            d = json.loads(v)
            sig = np.frombuffer(base64.b64decode(d["sig"]), dtype="<u4")
            if same_text(e, sig, int(d["size"]), threshold):
                known[e.id] = d["of"]
                if self.replaying and d.get("origin") and d["origin"] == e.origin and "decision" in d:
                    replay[e.id] = Status.from_dict(d["decision"])
            else:
                reused.add(e.id)  # decided on its text, compared with everything stored; not stored
        fresh = [e for e in entries if e.id not in known]
        if not fresh:
            return decide(entries, {}, known, replay=replay)
        stored = [e for e in fresh if e.id not in reused]
        indexable = [e for e in fresh if e.size]
        seqs = {e.id: 2**62 for e in fresh}  # a dry run's and a reused id's: after every stored entry
        if not dry_run and stored:
            first = int(r.incrby(self.k_seq, len(stored))) - len(stored) + 1
            seqs.update({e.id: first + k for k, e in enumerate(stored)})
            pipe = r.pipeline(transaction=False)
            for e in stored:
                pipe.hset(self.k_docs, e.id, self._record(e, seqs[e.id], e.id))
                pipe.zadd(self.k_added, {e.id: e.added})
            pipe.execute()
            with self.lsh.insertion_session() as session:
                for e in stored:
                    if e.size:
                        session.insert(e.id.encode(), self._minhash(e.sig), check_duplication=False)
        # this batch's own entries are not earlier documents (ids known from earlier runs are)
        batch = {e.id for e in fresh}
        cands: dict[str, list[str]] = {}
        for e in indexable:
            found = self.lsh.query(self._minhash(e.sig))
            cands[e.id] = sorted({c.decode() for c in found} - batch)
        wanted = sorted({c for v in cands.values() for c in v})
        info = dict(zip(wanted, r.hmget(self.k_docs, wanted), strict=True)) if wanted else {}
        matches: dict[str, list[Match]] = {}
        for e in indexable:
            recs = [(c, json.loads(info[c])) for c in cands[e.id] if info.get(c) is not None]
            recs = [(c, d) for c, d in recs if d["seq"] < seqs[e.id] and d["size"]]
            if not recs:
                continue
            sigs = np.stack([np.frombuffer(base64.b64decode(d["sig"]), dtype="<u4") for _, d in recs])
            sizes = np.array([d["size"] for _, d in recs], dtype=np.float64)
            score = containment(e.sig, e.size, sigs, sizes)
            matches[e.id] = [
                Match(d["seq"], c, d["of"], round(float(s), 4)) for (c, d), s in zip(recs, score, strict=True)
                if s >= threshold
            ]  # fmt: skip
        status = decide(entries, matches, known, frozenset(reused), replay)
        if dry_run:
            return status
        # each stored record again, with its story and what was decided (for a re-run to replay)
        pipe = r.pipeline(transaction=False)
        for e in stored:
            pipe.hset(self.k_docs, e.id, self._record(e, seqs[e.id], e.of, status[e.id]))
        pipe.execute()
        return status

    @staticmethod
    def _record(e: Entry, seq: int, of: str, decision: Status | None = None) -> str:
        sig = base64.b64encode(e.sig.astype("<u4").tobytes()).decode("ascii")
        rec: dict[str, Any] = {"seq": seq, "of": of, "added": e.added, "size": e.size, "sig": sig}
        if decision is not None:
            rec["origin"], rec["decision"] = e.origin, decision.to_dict()
        return json.dumps(rec)

    def stats(self) -> dict[str, Any]:
        n = int(self.r.hlen(self.k_docs))
        oldest = self.r.zrange(self.k_added, 0, 0, withscores=True)
        newest = self.r.zrange(self.k_added, -1, -1, withscores=True)
        return {"backend": "redis", "location": _safe(self.url), "basename": self.basename, "documents": n,
                "oldest": oldest[0][1] if oldest else None, "newest": newest[0][1] if newest else None,
                "parameters": self.stored}  # fmt: skip

    def evict(self, before: float, batch: int = 10_000) -> int:
        """Remove entries added before ``before``, ``batch`` at a time (datasketch has no expiry)."""
        total = 0
        while True:
            old = [x.decode() for x in self.r.zrangebyscore(self.k_added, "-inf", f"({before}", start=0, num=batch)]
            if not old:
                return total
            for doc_id in old:
                with contextlib.suppress(ValueError):  # too short to have been inserted into the bands
                    self.lsh.remove(doc_id.encode())
            pipe = self.r.pipeline(transaction=False)
            pipe.hdel(self.k_docs, *old)
            pipe.zrem(self.k_added, *old)
            pipe.execute()
            total += len(old)

    def drop(self) -> None:
        keys = [self.k_params, self.k_docs, self.k_added, self.k_seq, self.k_runs]
        for pattern in (f"{self.basename}_bucket_*", f"{self.basename}_keys*"):
            keys += list(self.r.scan_iter(match=pattern, count=1000))
        for start in range(0, len(keys), 1000):
            self.r.delete(*keys[start : start + 1000])

    def begin_run(self, key: str) -> bool:
        """Mark a run of the inputs ``key`` under way; True when the last one never finished."""
        with self._failing():
            self.replaying = not self.r.sadd(self.k_runs, key)
        return self.replaying

    def end_run(self, key: str) -> None:
        with self._failing():
            self.r.srem(self.k_runs, key)

    def close(self) -> None:
        self.r.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    u = urlparse(url)
    if u.password:
        return url.replace(f":{u.password}@", ":***@")
    return url
