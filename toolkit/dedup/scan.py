"""One compiled pass over a batch's UTF-8 bytes: word tokens and what clustering needs of each.

Compiled once, ahead of time, into a small extension module in the per-user cache
(numba's ``pycc``, at the first run; about five seconds): later processes load it without
importing numba, whose import and cache loading cost two thirds of a second at every start.
Where it cannot be built (no C compiler, a cache that cannot be written) numba compiles the
same function at run time, as before. Per token: start and end
offsets, a 64-bit hash of its lower-case bytes, its document and line, whether it is
capitalised (and holds a lower-case letter) or written in a script without capitals, opens
a sentence (the nearest non-space character before it is a sentence end, a line break or
nothing), and where a leading run of digits ends. Per line: a hash of its tokens' hashes in
order (equal lines of words, whatever their spacing and punctuation, hash alike: how page
chrome is recognised).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import platform
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from toolkit.text.tables import cached_file

# byte classes
SEP, WORD, BREAK, END, PUNCT = 0, 1, 2, 3, 4
# token flags
CAPITAL, LOWER, OPENS, DIGIT, CASELESS = 1, 2, 4, 8, 16


def class_table() -> np.ndarray:
    """Classes of single bytes; bytes >= 0x80 are word bytes unless :func:`scan` sees a mark."""
    t = np.full(256, PUNCT, dtype=np.uint8)
    for c in range(256):
        if c >= 128 or chr(c).isalnum():
            t[c] = WORD
    t[[0x20, 0x09, 0x0B, 0x0C]] = SEP
    t[[0x0A, 0x0D, 0x00]] = BREAK
    for ch in '.!?:;"-(':  # a capitalised word after one of these opens a sentence or a quote
        t[ord(ch)] = END
    return t


def mark_tables() -> tuple[np.ndarray, np.ndarray]:
    """Classes of two-byte marks after 0xC2 and three-byte marks after 0xE2 0x80 (255: a word byte);
    :func:`_scan` also knows the currency signs and the Arabic and Devanagari punctuation."""
    two = np.full(256, 255, dtype=np.uint8)
    two[[0xAB, 0xBB, 0xA1, 0xBF]] = END  # « » ¡ ¿
    two[0xA0] = SEP  # no-break space
    two[[0xA3, 0xA5]] = PUNCT  # £ ¥ (a number after them is a number)
    three = np.full(256, 255, dtype=np.uint8)
    three[[0x9C, 0x9D, 0x9E, 0x94, 0x93, 0xA6, 0xB9, 0xBA]] = END  # quotes, dashes, ellipsis
    three[[0x98, 0x99, 0x9A]] = PUNCT  # single quotes, apostrophe, low single quote
    three[[*range(0x80, 0x8C), 0xAF]] = SEP  # spaces
    three[[0xA8, 0xA9]] = BREAK  # line and paragraph separators
    return two, three


def _scan(
    orig: np.ndarray,
    low: np.ndarray,
    size: int,
    table: np.ndarray,
    two: np.ndarray,
    three: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    hashes: np.ndarray,
    docs: np.ndarray,
    lines: np.ndarray,
    flags: np.ndarray,
    digit_ends: np.ndarray,
    line_hashes: np.ndarray,
) -> Any:  # pragma: no cover - compiled
    """Fill the token arrays (at least ``size // 2 + 1`` long) and ``line_hashes`` (at least
    ``size + 1``); returns (tokens, lines).

    ``orig`` and ``low`` hold at least two padding NULs after ``size``.
    """

    def _fmix64(h: np.uint64) -> np.uint64:  # an inner function: compiled inline
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xFF51AFD7ED558CCD)
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xC4CEB9FE1A85EC53)
        h ^= h >> np.uint64(33)
        return h

    n = 0
    doc = 0
    line = 0
    prev = BREAK  # class of the last non-space character
    in_word = False
    start = 0
    h = np.uint64(0)
    prime = np.uint64(0x100000001B3)
    basis = np.uint64(0xCBF29CE484222325)
    line_h = basis
    skip = 0  # continuation bytes of a mark take the mark's class
    forced = WORD
    for i in range(size + 1):  # low[size] is a NUL of the padding: it closes the last word and line
        b = low[i]
        if skip:
            skip -= 1
            c = forced
        else:
            c = table[b]
            if b >= 0xC2:
                if b == 0xC2:
                    m = two[low[i + 1]]
                    if m != 255:
                        c, forced, skip = m, m, 1
                elif b == 0xE2 and low[i + 1] == 0x80:
                    m = three[low[i + 2]]
                    if m != 255:
                        c, forced, skip = m, m, 2
                elif b == 0xE2 and low[i + 1] == 0x82 and low[i + 2] >= 0xA0:
                    c, forced, skip = PUNCT, PUNCT, 2  # currency signs (€ ₹ ₽)
                elif b == 0xD8 and (low[i + 1] == 0x8C or low[i + 1] == 0x9B or low[i + 1] == 0x9F):
                    c, forced, skip = END, END, 1  # Arabic comma, semicolon, question mark
                elif b == 0xE0 and low[i + 1] == 0xA5 and (low[i + 2] == 0xA4 or low[i + 2] == 0xA5):
                    c, forced, skip = END, END, 2  # Devanagari danda and double danda (full stops)
        if c == WORD:
            if not in_word:
                in_word = True
                start = i
                h = basis
            h = (h ^ np.uint64(b)) * prime
        else:
            if in_word:
                in_word = False
                # What the word looks like, read once at its end: most words need two bytes.
                o = orig[start]
                f = 0
                if prev == END or prev == BREAK:  # noqa: SIM109 - numba compiles tuple membership poorly
                    f = OPENS
                end = start
                if 48 <= o <= 57:
                    f |= DIGIT
                    while end < i and 48 <= orig[end] <= 57:
                        end += 1
                elif (65 <= o <= 90) or (
                    o >= 0xC0
                    and (
                        o != low[start]
                        or orig[start + 1] != low[start + 1]
                        or (o >= 0xE0 and orig[start + 2] != low[start + 2])
                    )
                ):
                    f |= CAPITAL
                    for k in range(start + 1, i):
                        o2 = orig[k]
                        # a lower-case letter: ASCII, or a character its lower case leaves alone
                        # (Путин, Ελλάδα); an all-capital token (NATO, НАТО) has none
                        if (97 <= o2 <= 122) or (
                            o2 >= 0xC0
                            and orig[k + 1] == low[k + 1]
                            and o2 == low[k]
                            and (o2 < 0xE0 or orig[k + 2] == low[k + 2])
                        ):
                            f |= LOWER
                            break
                elif (
                    (o == 0xD6 and orig[start + 1] >= 0x90)
                    or (0xD7 <= o <= 0xDF)
                    or o == 0xE0
                    or (o == 0xE1 and orig[start + 1] < 0xB4)
                ):
                    # Hebrew, Arabic, Syriac, Thaana, the Indic scripts, Thai, Georgian, Ethiopic …:
                    # scripts without capitals (CJK is left out: it writes no spaces between words)
                    f |= CASELESS
                starts[n] = start
                ends[n] = i
                digit_ends[n] = end
                hashes[n] = _fmix64(h ^ np.uint64(i - start))
                line_h = (line_h ^ hashes[n]) * prime
                flags[n] = f
                docs[n] = doc
                lines[n] = line
                n += 1
                prev = WORD
            if c != SEP:
                prev = c
                if c == BREAK:
                    line_hashes[line] = _fmix64(line_h)
                    line_h = basis
                    line += 1
                    if b == 0:
                        doc += 1
    return n, line


# the kernel's argument types, for the ahead-of-time build (contiguous arrays)
_SIGNATURE = (
    "UniTuple(i8, 2)(u1[::1], u1[::1], i8, u1[::1], u1[::1], u1[::1], "
    "i8[::1], i8[::1], u8[::1], i8[::1], i8[::1], u1[::1], i8[::1], u8[::1])"
)
_MODULE = "wirecheck_scan"
_kernel: Callable[..., Any] | None = None
_kernel_lock = threading.Lock()


def _kernel_key() -> str:
    """What the compiled module depends on: this file, the Python, numba and numpy, the machine."""
    source = Path(__file__).read_bytes()
    return repr((source, sys.version, version("numba"), np.__version__, platform.machine()))


def _write_kernel(fh: BinaryIO) -> None:
    """Compile :func:`_scan` ahead of time and write the extension module to ``fh``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba marks pycc as pending deprecation
        pycc: Any = importlib.import_module("numba.pycc")  # untyped

        with tempfile.TemporaryDirectory() as tmp:
            cc = pycc.CC(_MODULE)
            cc.output_dir = tmp
            cc.verbose = False
            cc.export("scan", _SIGNATURE)(_scan)
            cc.compile()
            fh.write(next(Path(tmp).glob(_MODULE + "*")).read_bytes())


def _load_compiled() -> Callable[..., Any] | None:
    """The ahead-of-time kernel from the cache, built there first when missing; None when it
    cannot be built or loaded."""
    try:
        path = cached_file("scan-kernel", _kernel_key(), importlib.machinery.EXTENSION_SUFFIXES[0], _write_kernel)
        if path is None:
            return None
        spec = importlib.util.spec_from_file_location(_MODULE, path)
        if spec is None or spec.loader is None:
            return None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        fn: Callable[..., Any] = module.scan
        return fn
    except Exception:  # no C compiler, no pycc, an unwritable cache: the run-time compiler below
        return None


def kernel() -> Callable[..., Any]:
    """The compiled :func:`_scan`: ahead of time from the cache, else numba's run-time compiler."""
    global _kernel
    if _kernel is None:
        with _kernel_lock:
            if _kernel is None:
                fn = _load_compiled()
                if fn is None:
                    from numba import njit

                    fn = njit(cache=True, nogil=True)(_scan)
                _kernel = fn
    return _kernel


_scratch = threading.local()


def scan(orig: np.ndarray, low: np.ndarray, size: int, tables: tuple[np.ndarray, ...]) -> tuple[Any, ...]:
    """Tokens of ``low[:size]`` (documents separated by NUL): see the module docstring.

    Returns (starts, ends, hashes, docs, lines, flags, digit_ends, line_hashes). The
    arrays are views of per-thread buffers, reused by the thread's next call: fresh
    buffers of this size would cost more in page faults than the scan itself.
    """
    need = size // 2 + 1
    bufs = getattr(_scratch, "bufs", None)
    if bufs is None or len(bufs[0]) < need:
        cap = max(need, 1 << 16)
        types = (np.int64, np.int64, np.uint64, np.int64, np.int64, np.uint8, np.int64)
        bufs = _scratch.bufs = (*(np.empty(cap, dtype=t) for t in types), np.empty(2 * cap, dtype=np.uint64))
    n, n_lines = kernel()(orig, low, size, *tables, *bufs)
    return (*(b[:n] for b in bufs[:-1]), bufs[-1][:n_lines])
