"""In-domain trigrams (restore.models.in_domain): a proper distribution, mixed into the book model."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restore.learn import learn
from restore.models import in_domain
from restore.models.lm import load_language_model

WORDS = st.sampled_from(["the", "upset", "price", "of", "land", "was", ","])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(WORDS, min_size=1, max_size=8), min_size=1, max_size=12), st.lists(WORDS, max_size=2)
)
def test_every_context_gives_a_distribution(sentences, history):
    """Over the words seen, the end of sentence and an unseen form, the probabilities sum to one
    in any context, seen or not."""
    model = in_domain.DomainTrigrams.from_counts(in_domain.trigram_counts(sentences))
    outcomes = sorted({w for s in sentences for w in s}) + [in_domain.EOS, "never-seen"]
    total = sum(model.probs([*history, w], bos=True, eos=False)[-1] for w in outcomes)
    assert math.isclose(total, 1.0, rel_tol=1e-9)


def test_seen_continuations_are_likelier_and_counts_round_trip(tmp_path):
    counts = in_domain.text_counts(["The upset price of the land was fixed.\n\nThe upset price was low."])
    assert counts["<s> <s> the"] == 2 and counts["upset price of"] == 1
    path = tmp_path / "c.tsv.gz"
    in_domain.save_counts(counts, path)
    assert in_domain.read_counts(path) == counts
    model = in_domain.DomainTrigrams.from_counts(counts)
    seen, unseen = model.log10_probs(["the", "upset", "price"]), model.log10_probs(["the", "upset", "land"])
    assert seen[2] > unseen[2]


def test_a_collections_text_counts_only_trigrams_whose_words_are_known():
    """A cleaned collection's flagged junk ("lnnd") teaches no context; the words around it do."""
    counts = in_domain.known_trigram_counts(
        ["The upset price of lnnd was fixed. It was low."], lambda w: w != "lnnd"
    )
    assert counts == {
        "<s> <s> the": 1,
        "<s> the upset": 1,
        "the upset price": 1,
        "upset price of": 1,
        "was fixed .": 1,
        "fixed . </s>": 1,
        "<s> <s> it": 1,
        "<s> it was": 1,
        "it was low": 1,
        "was low .": 1,
        "low . </s>": 1,
    }


def test_a_file_that_is_no_counts_is_named(tmp_path):
    bad = tmp_path / "ngrams.tsv.gz"
    bad.write_text("not gzip", encoding="utf-8")
    with pytest.raises(ValueError, match="ngrams.tsv.gz: not trigram counts"):
        in_domain.read_counts(bad)


NOTICE = (
    "The land will be sold by public auction at the upset price of {n} pounds per acre. "
    "Mr. Justice {name} said the defendant was fined {n} shillings at the police court."
)
NAMES = ("Smith", "Brown", "Jones", "Walker", "Hughes", "Taylor", "Wilson", "Evans", "Green", "Baker")


def _pairs(folder, n):
    ocr, gt = folder / "ocr", folder / "gt"
    ocr.mkdir(), gt.mkdir()
    for i in range(n):
        truth = NOTICE.format(n=i + 3, name=NAMES[i])
        (gt / f"p{i}.txt").write_text(truth, encoding="utf-8")
        (ocr / f"p{i}.txt").write_text(truth.replace("the ", "tlie ", 2), encoding="utf-8")
    return ocr, gt


def test_the_mixture_scores_as_the_book_model_reads():
    books = load_language_model()
    domain = in_domain.DomainTrigrams.from_counts(in_domain.text_counts([NOTICE.format(n=4, name="Smith")]))
    mixed = in_domain.MixedLanguageModel(books, domain, 0.3)
    tokens = "the land will be sold by public auction".split()
    scores = mixed.token_scores(tokens)
    assert len(scores) == len(tokens) + 1  # and </s>
    assert math.isclose(mixed.score(" ".join(tokens)), sum(p for p, _ in scores))
    assert scores[-2][0] > books.token_scores(tokens)[-2][0]  # 'auction' after 'by public': seen
    # A form the collection's text never has keeps the books' probability: junk gains nothing.
    junk = "the land will be sold by public auctlon".split()
    assert mixed.token_scores(junk)[-2][0] == books.token_scores(junk)[-2][0]
    # With no weight on the collection's text, it is the book model (KenLM sums in single precision).
    plain = in_domain.MixedLanguageModel(books, domain, 0.0)
    for bos, eos in ((True, True), (False, False)):
        assert math.isclose(
            plain.score("by public auction", bos, eos),
            books.score("by public auction", bos, eos),
            abs_tol=1e-5,
        )
    assert mixed.known("auction") == books.known("auction") and not mixed.known("tlie")
    # A reading of two words in one place is two tokens, as the book model reads it.
    assert mixed.token_scores(["by", "public auction"]) == mixed.token_scores(["by", "public", "auction"])


def test_learn_gives_the_collections_text_the_share_its_held_out_folds_prefer(tmp_path, monkeypatch):
    ocr, gt = _pairs(tmp_path, 10)
    # Ten short pages are under the text the trigrams need: their share is measured, not used.
    learned = learn(ocr, gt, tmp_path / "few")
    record = json.loads((tmp_path / "few" / in_domain.WEIGHT_NAME).read_text(encoding="utf-8"))
    perplexity = {float(w): v for w, v in record["held_out_perplexity"].items()}
    assert min(perplexity.values()) < perplexity[0.0]
    assert learned.in_domain_weight == record["weight"] == 0.0
    assert record["tokens"] == 10 * 34 < record["min_tokens"]  # 17 + 2 ("mr .") + 15 tokens a page
    books = load_language_model()
    assert in_domain.language_model(books, tmp_path / "few") is books
    # A collection with text enough (the bar lowered to these pages) gets the likeliest share.
    monkeypatch.setattr(in_domain, "MIN_TOKENS", 10 * 34)
    learned = learn(ocr, gt, tmp_path / "model")
    record = json.loads((tmp_path / "model" / in_domain.WEIGHT_NAME).read_text(encoding="utf-8"))
    assert learned.in_domain_weight == record["weight"] > 0
    assert perplexity[record["weight"]] == min(perplexity.values())
    counts = in_domain.read_counts(tmp_path / "model" / in_domain.COUNTS_NAME)
    assert counts["by public auction"] == 10
    language = in_domain.language_model(books, tmp_path / "model")
    assert isinstance(language, in_domain.MixedLanguageModel) and language.weight == record["weight"]
    share = f"{record['weight']:.0%}"
    assert language.named == f"the language model and this collection's corrected pages (a share of {share})"
    assert in_domain.language_model(books, None) is books


def test_one_pair_has_nothing_held_out_and_the_books_read_alone(tmp_path):
    ocr, gt = _pairs(tmp_path, 1)
    learned = learn(ocr, gt, tmp_path / "model")
    assert learned.in_domain_weight == 0.0
    books = load_language_model()
    assert in_domain.language_model(books, tmp_path / "model") is books
    learn(ocr, gt, tmp_path / "model", in_domain_text=False)
    assert not (tmp_path / "model" / in_domain.COUNTS_NAME).exists()
