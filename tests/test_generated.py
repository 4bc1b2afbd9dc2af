"""Files made from code are committed up to date (python tests/make_samples.py regenerates them all)."""

import zipfile

from make_samples import TEMPLATE, build_template

# the parts of the template its builder decides (not the package's dates)
TEMPLATE_PARTS = ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml", "word/footer1.xml")


def test_committed_word_template_is_what_its_builder_makes(tmp_path):
    fresh = build_template(tmp_path / "模板.docx")
    with zipfile.ZipFile(fresh) as made, zipfile.ZipFile(TEMPLATE) as committed:
        for part in TEMPLATE_PARTS:
            assert made.read(part) == committed.read(part), f"{part}: run python tests/make_samples.py"
