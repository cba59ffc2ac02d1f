#!/usr/bin/env python3
"""The diff reports in a real browser (issue 7): headless Chromium loads the HTML pages from disk,
runs their script, and the test reads the DOM it ends with and a screenshot.

  1. converts the project's Informatica samples and writes the review of the whole run
     (`etlport diff OUTDIR -o DIR`): index, one page per job, lineage.svg;
  2. writes the review page of one artifact whose filter was mutated (`etlport diff LEGACY GENERATED`),
     which must show a `differs` step with its counterexample;
  3. writes the change report of a mapping against an edited copy (`etlport diff OLD NEW`).

For each page, in Chromium's final DOM: every column and step has its three panes (legacy, canonical,
generated) and a verdict matching the page's JSON; the index lists every job with a link to a page
that exists, in tier order; the filters hide rows (`?hide=v-equal` in the address); the lineage
picture names each job's cluster and links it to the job's page, and the pages link back. Each
screenshot must be a picture with content: many colours, not one blank colour.

Chromium comes from Debian's `chromium` package (tools/bootstrap.sh installs it); without it the test
fails and says so.

usage: browser_check.py ETLPORT SOURCE_DIR
"""
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)
    return cond


def chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def browser(exe, profile, args, url):
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
           "--user-data-dir=" + profile, "--virtual-time-budget=3000"] + args + [url]
    r = subprocess.run(cmd, capture_output=True, text=False, timeout=120)
    return r.stdout.decode("utf-8", "replace")


class Dom(html.parser.HTMLParser):
    """The elements of a page: tag, attributes and the text inside, flat, in document order."""

    def __init__(self):
        super().__init__()
        self.elems = []
        self.stack = []
        self.body_class = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        e = {"tag": tag, "attrs": a, "text": ""}
        self.elems.append(e)
        if tag == "body":
            self.body_class = a.get("class") or ""
        if tag not in ("br", "meta", "input", "img", "link", "hr"):
            self.stack.append(e)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for e in self.stack:
            e["text"] += data

    def find(self, tag=None, cls=None, **attrs):
        out = []
        for e in self.elems:
            if tag and e["tag"] != tag:
                continue
            if cls and cls not in (e["attrs"].get("class") or "").split():
                continue
            if any(e["attrs"].get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            out.append(e)
        return out


def dom_of(exe, profile, path, query=""):
    d = Dom()
    d.feed(browser(exe, profile, ["--dump-dom"], "file://" + os.path.abspath(path) + query))
    return d


def png_pixels(path):
    """Decodes an 8-bit RGB or RGBA PNG (what Chromium writes): (width, height, rows of bytes, bpp)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                return None
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows, bpp


def screenshot_has_content(exe, profile, path, shot):
    browser(exe, profile, ["--window-size=1280,1000", "--screenshot=" + shot], "file://" + os.path.abspath(path))
    if not check(os.path.exists(shot) and os.path.getsize(shot) > 1000, f"{path}: a screenshot is written"):
        return
    px = png_pixels(shot)
    if not check(px is not None, f"{shot}: an 8-bit RGB(A) PNG"):
        return
    w, h, rows, bpp = px
    colours = {}
    for y in range(0, h, 4):
        row = rows[y]
        for x in range(0, w * bpp, 4 * bpp):
            rgb = row[x:x + 3]
            colours[rgb] = colours.get(rgb, 0) + 1
    samples = sum(colours.values())
    inked = samples - max(colours.values())  # everything but the background colour
    print(f"  screenshot {os.path.basename(shot)}: {w}x{h}, {len(colours)} colours, "
          f"{100.0 * inked / samples:.1f}% not background")
    check(len(colours) >= 16, f"{shot}: the page renders with text and colour ({len(colours)} colours)")
    check(inked / samples > 0.05, f"{shot}: the page is not blank")


def check_review_page(d, page_json, where):
    items = d.find("div", cls="item")
    n_json = sum(len(a.get("columns", [])) + len(a.get("steps", [])) for a in page_json["artifacts"])
    check(len(items) == n_json, f"{where}: {n_json} columns and steps shown (DOM has {len(items)})")
    for cls in ("legacy", "canonical", "generated"):
        panes = [e for e in d.find("div", cls="pane") if cls in e["attrs"]["class"].split()]
        check(len(panes) == n_json, f"{where}: every item has a {cls} pane ({len(panes)} of {n_json})")
    for v in ("equal", "differs", "unverified"):
        want = sum(1 for a in page_json["artifacts"] for it in a.get("columns", []) + a.get("steps", [])
                   if it["verdict"] == v)
        got = len(d.find("div", cls="item", data_verdict=v))
        check(got == want, f"{where}: {want} items {v} (DOM {got})")
    boxes = d.find("input")
    check(len(boxes) >= 3, f"{where}: verdict filters")


def main():
    etlport, src = sys.argv[1], sys.argv[2]
    exe = chromium()
    if not check(exe is not None, "Chromium is installed (tools/bootstrap.sh --install-only installs it)"):
        return 1
    tmp = tempfile.mkdtemp(prefix="etlport-browser-")
    profile = os.path.join(tmp, "profile")
    try:
        out = os.path.join(tmp, "out")
        subprocess.run([etlport, "convert", os.path.join(src, "corpus/informatica"), "-o", out, "--to",
                        "spark,snowflake"], capture_output=True, check=False)
        rev = os.path.join(tmp, "review")
        r = subprocess.run([etlport, "diff", out, "-o", rev], capture_output=True, text=True)
        check(r.returncode in (0, 1), f"diff OUTDIR exits 0 or 1 (got {r.returncode}: {r.stderr.strip()})")
        index = json.load(open(os.path.join(rev, "index.json")))
        jobs = index["jobs"]
        report = json.load(open(os.path.join(out, "report.json")))
        n_ir = sum(1 for j in report["jobs"] if "ir" in j.get("artifacts", {}))
        check(len(jobs) == n_ir, f"index: one entry per converted job ({len(jobs)} of {n_ir})")
        tiers = ["auto_approve", "pr_review", "senior_review", "regenerate", "reject"]
        ranks = [(-tiers.index(j["tier"]) if j["tier"] in tiers else 1, -j["differences"]) for j in jobs]
        check(ranks == sorted(ranks), "index: sorted by tier (worst first), then by differences")

        # the index in the browser
        d = dom_of(exe, profile, os.path.join(rev, "index.html"))
        rows = d.find("tr", cls=None)
        rows = [e for e in rows if "data-tier" in e["attrs"]]
        check(len(rows) == len(jobs), f"index page: a row per job ({len(rows)} of {len(jobs)})")
        links = [e["attrs"]["href"] for e in d.find("a") if e["attrs"].get("href", "").startswith("jobs/")]
        check(len(links) == len(jobs), "index page: a link per job")
        for href in links:
            check(os.path.exists(os.path.join(rev, href)), f"index page: {href} exists")
        check(any(e["attrs"].get("href") == "lineage.svg" for e in d.find("a")), "index page links the lineage")
        d = dom_of(exe, profile, os.path.join(rev, "index.html"), "?hide=t-pr_review,v-equal")
        check("hide-t-pr_review" in d.body_class and "hide-v-equal" in d.body_class,
              f"index page: ?hide= filters the rows in the browser (body class '{d.body_class}')")
        screenshot_has_content(exe, profile, os.path.join(rev, "index.html"), os.path.join(tmp, "index.png"))

        # every job page: panes and verdicts as in its JSON
        for j in jobs:
            page = os.path.join(rev, j["page"])
            pj = json.load(open(page[:-len(".html")] + ".json"))
            d = dom_of(exe, profile, page)
            check_review_page(d, pj, j["page"])
            back = [e["attrs"]["href"] for e in d.find("a", cls="lineage")]
            check(back and back[0].startswith("../lineage.svg#job_"), f"{j['page']}: links to its lineage cluster")
        # the lineage picture: every job's cluster has its id and links to its page
        svg = open(os.path.join(rev, "lineage.svg"), encoding="utf-8").read()
        for j in jobs:
            anchor = "job_" + re.sub(r"[^A-Za-z0-9_-]", "_", j["job"])
            check(f'id="{anchor}"' in svg, f"lineage.svg: a cluster with id {anchor}")
            check(f'href="{j["page"]}"' in svg, f"lineage.svg: a link to {j['page']}")

        # one mutated artifact: differs, with the counterexample shown
        legacy = os.path.join(src, "corpus/informatica/m_bank_card_auth_filter.XML")
        gen = os.path.join(out, "BANK_DWH/m_bank_card_auth_filter/spark.py")
        text = open(gen).read()
        mutated = text.replace('F.col("RESPONSE_CODE") == "00"', 'F.col("RESPONSE_CODE") == "01"', 1)
        check(mutated != text, "the mutation applies")
        mpath = os.path.join(tmp, "mutated_spark.py")
        open(mpath, "w").write(mutated)
        single = os.path.join(tmp, "single.html")
        r = subprocess.run([etlport, "diff", legacy, mpath, "-o", single], capture_output=True, text=True)
        check(r.returncode == 1, f"diff LEGACY GENERATED exits 1 when something differs (got {r.returncode})")
        r = subprocess.run([etlport, "diff", legacy, mpath, "--format", "json"], capture_output=True, text=True)
        pj = json.loads(r.stdout)
        d = dom_of(exe, profile, single)
        check_review_page(d, pj, "mutated page")
        differs = d.find("div", cls="item", data_verdict="differs")
        check(any("filter" in e["text"] for e in differs), "mutated page: the filter step differs")
        check(any('"01"' in e["text"] and "'00'" in e["text"] for e in differs),
              "mutated page: the differing step shows the legacy and the generated literal side by side")
        cex = d.find("div", cls="cex")
        check(len(cex) >= 1, "mutated page: a counterexample is shown")
        check(any(e["attrs"].get("href", "").startswith("#spark-cex-") for e in d.find("a")),
              "mutated page: the differing step links to its counterexample")
        d = dom_of(exe, profile, single, "?hide=v-equal")
        check("hide-v-equal" in d.body_class, "mutated page: ?hide=v-equal filters in the browser")
        screenshot_has_content(exe, profile, single, os.path.join(tmp, "single.png"))

        # the change report between two versions
        old = os.path.join(src, "corpus/informatica/m_bank_card_auth_filter.XML")
        new = os.path.join(tmp, "m_bank_card_auth_filter_v2.XML")
        xml = open(old).read()
        edited = xml.replace("MCC_CODE &lt;&gt; &apos;6011&apos;", "MCC_CODE &lt;&gt; &apos;6012&apos;", 1)
        check(edited != xml, "the edit applies")
        open(new, "w").write(edited)
        chg = os.path.join(tmp, "change.html")
        r = subprocess.run([etlport, "diff", old, new, "-o", chg], capture_output=True, text=True)
        check(r.returncode == 1, f"diff OLD NEW exits 1 when something changed (got {r.returncode}: {r.stderr.strip()})")
        d = dom_of(exe, profile, chg)
        items = d.find("div", cls="item", data_kind="changed")
        check(len(items) >= 1, "change report: the changed filter is shown")
        check(any("6011" in e["text"] and "6012" in e["text"] for e in items),
              "change report: before and after side by side")
        screenshot_has_content(exe, profile, chg, os.path.join(tmp, "change.png"))
    finally:
        if os.environ.get("ETLPORT_KEEP"):
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"browser check: {len(FAILS)} failure(s)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
