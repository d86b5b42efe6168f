#!/usr/bin/env python3
"""Builds stories.jsonl, the labelled dedup development set, from the hand-written originals and
copy specifications next to this file. Run from this directory: python3 make_devset.py

Each line is a feedwatch Story plus two labels:
  dup_group  the original dispatch a story copies (stories with the same dup_group are near duplicates)
  event      the real-world event it reports (distinct dispatches can share an event)
"""
import html, json, random, re
from datetime import datetime, timedelta, timezone
from originals_en import ORIGINALS_EN
from originals_fr import ORIGINALS_FR
from originals_more import ORIGINALS_MORE
from copies import COPIES

RELATED_EN = ["Mali junta extends transition by five years", "Burkina Faso: army retakes Djibo road",
              "Niger expels French ambassador", "Chad: rebels announce ceasefire", "ECOWAS summit ends without deal",
              "Explainer: who are the jihadists of the Sahel?"]
RELATED_FR = ["Mali : la junte prolonge la transition", "Burkina : l'armée reprend l'axe Kaya-Dori",
              "Niger : l'ambassadeur de France expulsé", "Tchad : cessez-le-feu avec les rebelles",
              "Cédéao : un sommet sans accord", "Décryptage : qui sont les jihadistes du Sahel ?"]

def chrome(kind, paras, title, source, rng):
    """Returns (before, paras, after): site chrome as real sites put it around an article."""
    before, after = [], []
    paras = list(paras)
    if kind == "wp_en":
        after.append(f"The post {title} appeared first on {source}.")
    elif kind == "wp_fr":
        after.append(f"Cet article {title} est apparu en premier sur {source}.")
    elif kind == "nav_en":
        before += ["Skip to content", "Menu", "Search"]
        after += ["Share this:", "Twitter", "Facebook", "WhatsApp", "Like this:", "Like Loading..."]
    elif kind == "nav_fr":
        before += ["Aller au contenu", "Menu", "Rechercher"]
        after += ["Partager :", "Facebook", "Twitter", "WhatsApp", "E-mail"]
    elif kind == "related_en":
        after += ["Related"] + rng.sample(RELATED_EN, 3)
    elif kind == "related_fr":
        after += ["À lire aussi :"] + rng.sample(RELATED_FR, 3)
    elif kind == "credits_en":
        paras.insert(1, "Photo: AFP / File photo of soldiers on patrol")
        after.append(f"© 2026 {source}. All rights reserved.")
    elif kind == "credits_fr":
        paras.insert(1, "Photo : AFP / Image d'archives")
        after.append(f"© 2026 {source}. Tous droits réservés.")
    elif kind == "comments_en":
        after += [f"{rng.randint(2, 40)} Comments", "Leave a comment"]
    elif kind == "comments_fr":
        after += [f"{rng.randint(2, 40)} commentaires", "Laisser un commentaire"]
    elif kind == "newsletter_en":
        after.append("Subscribe to our newsletter and get the latest news from the Sahel delivered to your inbox every morning.")
    elif kind == "byline_en":
        before += ["By Staff Writer", "Published: 22 November 2026"]
    elif kind == "byline_fr":
        before += ["Par la rédaction", "Publié le 22/11/2026 à 10h15"]
    else:
        raise ValueError(kind)
    return before, paras, after

def render(lines, as_html, rng):
    if not as_html:
        return "\n\n".join(lines)
    out = []
    for line in lines:
        text = html.escape(line, quote=False)
        if rng.random() < 0.3:   # typographic apostrophes, as many CMSs emit
            text = text.replace("'", "&#8217;")
        out.append(f"<p>{text}</p>")
    return "\n".join(out)

# Day (of November 2026) and hour each original was filed; copies follow within about a day.
FILED = {
    "mopti_post": (22, 9), "mopti_reuters": (22, 13), "mopti_post_again": (27, 8), "djenne_post": (25, 16),
    "niger_airspace_close": (20, 21), "niger_airspace_reopen": (28, 10), "bf_kidnap": (23, 18), "bf_release": (26, 11),
    "diffa_iswap": (25, 9), "borno_raid": (27, 12), "kidal_drone": (22, 19), "sahel_analysis": (24, 7),
    "tillaberi_ambush": (26, 10), "fr_tillaberi": (26, 12), "chad_coup": (21, 17), "sudan_fasher": (25, 14),
    "delta_pipeline": (24, 10), "mali_gold": (26, 8), "eu_budget": (25, 18), "afcon_mali": (25, 22),
    "fr_menaka": (21, 15), "fr_segou_ied": (19, 17), "fr_san_bus": (22, 16), "fr_bf_mobilisation": (20, 19),
    "fr_tombouctou": (24, 11), "fr_cedeao_niger": (23, 20), "fr_djibo": (23, 10), "fr_djibo_b": (24, 9),
    "fr_fespaco": (22, 20), "fr_coton": (27, 9), "fr_canaries": (23, 13), "fr_budget": (25, 8),
    "bf_convoy_kaya": (28, 15), "fr_kaya_convoi": (28, 17), "mali_fuel": (26, 14), "niger_uranium": (27, 16),
    "fr_gao_drone": (26, 18),
}

def build():
    rng = random.Random(20261125)
    originals = {o["key"]: o for o in ORIGINALS_EN + ORIGINALS_FR + ORIGINALS_MORE}
    stories = []
    for o in ORIGINALS_EN + ORIGINALS_FR + ORIGINALS_MORE:
        stories.append(dict(id=o["key"], title=o["title"], summary=None, content="\n\n".join(o["paras"]),
                            link=o["link"], source=o["source"], language=o["lang"],
                            dup_group=o["key"], event=o["event"]))
    counter = {}
    for c in COPIES:
        o = originals[c["of"]]
        counter[o["key"]] = counter.get(o["key"], 0) + 1
        paras = list(o["paras"])
        for old, new in c.get("edits", []):
            hits = [i for i, p in enumerate(paras) if old in p]
            assert hits, f"{o['key']}: edit target not found: {old!r}"
            paras[hits[0]] = paras[hits[0]].replace(old, new, 1)
        for index, text in c.get("insert", []):
            paras.insert(index, text)
        for index, text in c.get("replace", []):
            paras[index] = text
        if "dateline" in c:
            paras[0] = c["dateline"] + paras[0]
        if "keep" in c:
            paras = paras[:c["keep"]]
        if "keep_words" in c:
            words = " ".join(paras).split()
            paras = [" ".join(words[:c["keep_words"]]) + "…"]
        if c.get("flatten"):
            paras = [" ".join(paras)]
        if c.get("ellipsis"):
            paras[-1] = paras[-1] + " […]"
        before, after = list(c.get("lines_before", [])), list(c.get("lines_after", []))
        for kind in c.get("chrome", []):
            b, paras, a = chrome(kind, paras, c["title"], c["source"], rng)
            before += b
            after += a
        body = render(before + paras + after, c.get("html", False), rng)
        slug = re.sub(r"[^a-z0-9]+", "-", c["title"].lower()).strip("-")[:60]
        host = re.sub(r"[^a-z0-9]+", "", c["source"].lower()) + ".example"
        field = c.get("field", "content")
        stories.append(dict(id=f"{o['key']}#{counter[o['key']]}", title=c["title"],
                            summary=body if field == "summary" else None,
                            content=body if field == "content" else None,
                            link=c.get("link", f"https://{host}/{slug}"), source=c["source"],
                            language=o["lang"] if rng.random() < 0.8 else None,
                            dup_group=o["key"], event=o["event"]))
    # Arrival order is publication order: copies follow their original by up to a day, and a
    # few arrive before it (an aggregator faster than the wire's own feed).
    for s in stories:
        day, hour = FILED[s["dup_group"]]
        t = datetime(2026, 11, day, hour, 0, tzinfo=timezone.utc)
        if s["id"] != s["dup_group"]:
            t += timedelta(minutes=rng.randint(-90, 26 * 60))
        s["published"] = t.strftime("%Y-%m-%dT%H:%M:%SZ")
    stories.sort(key=lambda s: (s["published"], s["id"]))
    with open("stories.jsonl", "w", encoding="utf-8") as f:
        for s in stories:
            f.write(json.dumps(s, ensure_ascii=False) + "\n")
    groups = {}
    for s in stories:
        groups[s["dup_group"]] = groups.get(s["dup_group"], 0) + 1
    print(f"{len(stories)} stories, {len(groups)} dup groups, {len(set(s['event'] for s in stories))} events")

if __name__ == "__main__":
    build()
