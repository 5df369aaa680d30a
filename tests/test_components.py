"""Every Dateline spaCy component states what it reads and what it writes (``requires`` /
``assigns``), and what it reads of ``doc._`` is there when it runs."""
from dateline.nlp.extensions import DOC_ATTRIBUTES

SET_BEFORE_THE_PIPELINE = {"doc._.anchor_date", "doc._.dateline"}  # by dateline.pipeline


def test_components_declare_what_they_read_and_write(nlp):
    summary = nlp.analyze_pipes(pretty=False)["summary"]
    ours = [name for name in nlp.pipe_names if name.startswith("dateline_")]
    assert ours
    written = set(SET_BEFORE_THE_PIPELINE)
    for name in nlp.pipe_names:
        declared = summary[name]
        if name in ours:
            assert declared["requires"] and declared["assigns"], name
            missing = {attr for attr in declared["requires"] if attr.startswith("doc._.")} - written
            assert not missing, f"{name} reads {missing} before any component writes it"
        written |= set(declared["assigns"])
    assert {f"doc._.{attr}" for attr in DOC_ATTRIBUTES} <= written
