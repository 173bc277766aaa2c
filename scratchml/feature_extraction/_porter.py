"""The Porter stemmer (M. F. Porter, 1980), written from the paper.

A word is read as ``[C](VC)^m[V]``: alternating runs of consonants ``C`` and
vowels ``V``; ``m``, the *measure*, counts the ``VC`` pairs. Five steps strip
suffixes in order; each rule ``(condition) S1 -> S2`` replaces the longest
suffix ``S1`` of its step when the stem left in front of it meets the condition
(usually a minimum measure, so that short words keep their endings).
"""

from __future__ import annotations

from functools import lru_cache

_VOWELS = frozenset("aeiou")


def _is_consonant(word: str, i: int) -> bool:
    """``y`` is a consonant at the start of a word or after a vowel, a vowel after a consonant."""
    ch = word[i]
    if ch in _VOWELS:
        return False
    if ch == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """m in ``[C](VC)^m[V]``: the number of vowel-run -> consonant-run transitions."""
    m = 0
    previous_vowel = False
    for i in range(len(stem)):
        consonant = _is_consonant(stem, i)
        if consonant and previous_vowel:
            m += 1
        previous_vowel = not consonant
    return m


def _has_vowel(stem: str) -> bool:
    """``*v*``: the stem contains a vowel."""
    return any(not _is_consonant(stem, i) for i in range(len(stem)))


def _ends_double_consonant(word: str) -> bool:
    """``*d``: the word ends with two equal consonants (``-tt``, ``-ss``)."""
    return len(word) >= 2 and word[-1] == word[-2] and _is_consonant(word, len(word) - 1)


def _ends_cvc(word: str) -> bool:
    """``*o``: the word ends consonant-vowel-consonant, the last not ``w``, ``x`` or ``y``."""
    n = len(word)
    return (
        n >= 3
        and _is_consonant(word, n - 3)
        and not _is_consonant(word, n - 2)
        and _is_consonant(word, n - 1)
        and word[-1] not in "wxy"
    )


def _apply_longest(word: str, rules: tuple, min_measure: int) -> str:
    """Replace the longest matching suffix if the stem before it has m > ``min_measure``.

    Only the longest suffix is tried: when its condition fails, the step stops.
    """
    for suffix, replacement in rules:
        if word.endswith(suffix):
            stem = word[: len(word) - len(suffix)]
            return stem + replacement if _measure(stem) > min_measure else word
    return word


# Rules sorted longest suffix first within each step, so the first match is the longest.
_STEP2 = tuple(sorted((
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"),
    ("izer", "ize"), ("abli", "able"), ("alli", "al"), ("entli", "ent"), ("eli", "e"),
    ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
    ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"),
    ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
), key=lambda r: -len(r[0])))  # fmt: skip
_STEP3 = tuple(sorted((
    ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
    ("ful", ""), ("ness", ""),
), key=lambda r: -len(r[0])))  # fmt: skip
_STEP4 = tuple(sorted((
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
    "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize",
), key=len, reverse=True))  # fmt: skip


def _step1ab(word: str) -> str:
    # Step 1a: plurals.
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("ss"):
        pass
    elif word.endswith("s"):
        word = word[:-1]
    # Step 1b: past tense and gerunds.
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
        return word
    for suffix in ("ed", "ing"):
        if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
            word = word[: -len(suffix)]
            break
    else:
        return word
    # The suffix went: repair the stem so that later steps see a regular word.
    if word.endswith(("at", "bl", "iz")):
        return word + "e"
    if _ends_double_consonant(word) and word[-1] not in "lsz":
        return word[:-1]
    if _measure(word) == 1 and _ends_cvc(word):
        return word + "e"
    return word


def _step4(word: str) -> str:
    for suffix in _STEP4:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if suffix == "ion" and not stem.endswith(("s", "t")):
                return word
            return stem if _measure(stem) > 1 else word
    return word


def _step5(word: str) -> str:
    if word.endswith("e"):
        stem = word[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _ends_cvc(stem)):
            word = stem
    if _measure(word) > 1 and _ends_double_consonant(word) and word.endswith("l"):
        word = word[:-1]
    return word


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    word = _step1ab(word)
    # Step 1c: a final y after a vowel-bearing stem becomes i (happy -> happi).
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    word = _apply_longest(word, _STEP2, 0)
    word = _apply_longest(word, _STEP3, 0)
    word = _step4(word)
    return _step5(word)


class PorterStemmer:
    """Porter's suffix-stripping stemmer: ``relational -> relat``, ``ponies -> poni``.

    The original 1980 algorithm, exactly as the paper states it (NLTK calls
    this ``PorterStemmer(mode="ORIGINAL_ALGORITHM")``): not Porter's later
    variant that also maps ``-bli -> -ble`` and ``-logi -> -log`` and leaves
    words of one or two letters alone. Words are lower-cased first; the result
    is cached, since natural text repeats its words.

    Stems are not words (``happy -> happi``): they are keys under which the
    inflected forms of a word are counted together.

    References
    ----------
    M. F. Porter, "An algorithm for suffix stripping", *Program* 14(3), 130-137, 1980.

    Examples
    --------
    >>> from scratchml.feature_extraction.text import PorterStemmer
    >>> stemmer = PorterStemmer()
    >>> [stemmer.stem(w) for w in ["caresses", "ponies", "relational", "hopping"]]
    ['caress', 'poni', 'relat', 'hop']
    >>> stemmer.tokenize("Generalizations of oscillators")  # stems of the default tokens
    ['gener', 'of', 'oscil']
    """

    def stem(self, word: str) -> str:
        """The stem of one word."""
        return _stem(word.lower())

    def __call__(self, word: str) -> str:
        return self.stem(word)

    def tokenize(self, doc: str) -> list[str]:
        """Stems of ``doc``'s tokens (scikit-learn's default pattern): a ``tokenizer=``."""
        from ._analysis import DEFAULT_TOKEN_PATTERN_RE

        return [_stem(w) for w in DEFAULT_TOKEN_PATTERN_RE.findall(doc.lower())]
