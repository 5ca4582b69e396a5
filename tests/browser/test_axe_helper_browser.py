"""The accessibility check itself: it must fail where axe-core finds a problem (also the
target-size rule, which axe leaves off by default), and it must scan again after the page
changed or another page was opened (the axe script is put in once per page)."""
import pytest

from tests.browser.helpers import assert_accessible

GOOD = """<!doctype html><html lang="nl"><head><title>Goed</title></head><body><main>
<h1>Goed</h1><button type="button" style="min-width:48px;min-height:48px">Verder</button></main></body></html>"""


def test_the_check_fails_on_a_missing_text_and_on_a_small_target_and_passes_when_fixed(page):
    page.set_content(GOOD)
    assert_accessible(page)
    # Changed without a new page: axe is already there and must look again.
    page.evaluate("""() => { const img = document.createElement('img'); img.src = 'data:,';
                             document.querySelector('main').append(img); }""")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
    page.set_content(GOOD.replace("min-width:48px;min-height:48px",
                                  "width:10px;height:10px;padding:0;position:absolute;left:0;top:0")
                     .replace("<h1>Goed</h1>", "<h1>Goed</h1><button type=button style='width:10px;height:10px;"
                              "padding:0;position:absolute;left:12px;top:0'>X</button>"))
    with pytest.raises(AssertionError, match="target-size"):
        assert_accessible(page)
    page.set_content(GOOD)
    assert_accessible(page)
