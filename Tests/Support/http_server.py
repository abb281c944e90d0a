#!/usr/bin/env python3
"""Test HTTP server for Winnow's URL fetcher end-to-end tests.

Standard library only (Python 3.11). Start it as

    python3 Tests/Support/http_server.py --log FILE [--port 0] [--hosts N] [--ipv6]
                                         [--exit-with-parent] [--verbose]

Listening
    It binds 127.0.0.1 and, with --hosts N (1..254, default 1), also 127.0.0.2 ... 127.0.0.N, all on
    ONE port. --port 0 (the default) picks a free port on 127.0.0.1 and then binds that same port on
    the other addresses (retrying with a new port if one of them is taken). With --ipv6 it also binds
    ::1 on that port; if IPv6 loopback is unavailable it says so on stderr and goes on without it.
    It never binds a wildcard address. When every socket is listening it prints exactly one line to
    stdout, "PORT <n>", and flushes; nothing else is ever written to stdout (notes, errors and, with
    --verbose, an access log go to stderr). One daemon thread per connection, HTTP/1.1 with
    keep-alive (every response carries Content-Length or is chunked, except /drip, which closes the
    connection when done). Idle connections are closed after 60 s. SIGTERM or SIGINT: stop accepting,
    close the listening sockets, exit 0. --exit-with-parent: also exit when the parent process dies.

Request log
    Every request (any method), once its headers are read and before it is answered, is appended to
    the --log file as one JSON object per line, flushed immediately:
        {"time": <unix time, float>, "method": "GET", "path": "/page/x?a=b" (target as sent, with
         query), "host": <Host header or null>, "local_address": "127.0.0.3" | "::1" (the address the
         request arrived on), "headers": {<name as sent>: <value>, ...} (repeated headers are joined
         with ", "), "connection": <id of the TCP connection, from 1>,
         "request_on_connection": <1 for the first request on that connection, 2 for the next...>}

Routes (GET; HEAD gives the same status and headers without a body; POST, PUT, DELETE, PATCH,
OPTIONS, TRACE and CONNECT are logged and answered 405; other methods get http.server's 501 and are not
logged). Routing uses the path only; query strings are ignored except where stated. <name> and <key>
are the rest of the path, percent-decoded, and must not be empty (else 404). Status bodies (3xx, 4xx,
5xx) are small text/html; charset=utf-8 pages.

    /robots.txt               200 text/plain, exactly "User-agent: *\\nDisallow: /private/\\n".
    /page/<name>              200 text/html; charset=utf-8. A small news article:
                              "<!DOCTYPE html>\n" then, on one line, <html><head><title>H | The
                              Northern Ledger</title></head><body><nav>Home | World | Sport</nav>
                              <article><h1>H</h1><p>...</p> x5</article><footer>© 2026 The Northern
                              Ledger</footer></body></html>, then "\n". 150-250 words of English
                              prose generated from an RNG seeded by <name>: identical for the same name,
                              different prose (no near-duplicate by word 5-gram shingles) for different
                              names. Headers: ETag "<16 hex digits of sha256(name)>" (quoted), and
                              Last-Modified, a fixed date in 2026 derived from the name. Always 200 (no
                              conditional handling; see /etag/ for that).
    /private/<anything>       200, the page for name "private/<anything>" (<anything> may be empty).
                              robots.txt disallows it: a correct client never asks.
    /redirect/<n>             n >= 1: 302 Location: /redirect/<n-1>.
                              n = 0:  302 Location: /page/redirect-target. (n not a number: 404.)
    /redirect-to-file         302 Location: file:///etc/passwd.
    /redirect-absolute?to=URL 302 Location: URL, as given (URL percent-decoded from the query). No
                              "to", or a URL containing CR/LF: 400.
    /loop                     302 Location: /loop, forever.
    /missing                  404 text/html, a small HTML body.
    /flaky/<key>              First request for <key>: 500 (small HTML body). Every later one: 200, the
                              page for name "flaky/<key>". Per-key state, thread-safe, lives as long
                              as the process (every request, HEAD included, counts).
    /busy/<key>               First request: 429 with Retry-After: 2. Later: 200, page "busy/<key>".
    /unavailable/<key>        First request: 503 with Retry-After: 1. Later: 200, page
                              "unavailable/<key>".
    /drip                     200 text/plain, Content-Length: 600, Connection: close; then sends the
                              body one byte per second (the first at once) until done or the client
                              hangs up (10 minutes for the whole body).
    /big?mb=N                 200 text/plain, Content-Length: N MiB (N a non-negative number, default
                              1, at most 65536; fractions allowed, rounded down to a byte), the
                              64-byte ASCII line "winnow test payload ... 0123456789\\n" repeated (the
                              last one cut at the length). Streamed in 64 KiB writes. Bad N: 400.
    /big-chunked?mb=N         The same body with Transfer-Encoding: chunked (64 KiB chunks) and no
                              Content-Length, so a client can only enforce a size cap while receiving.
    /gzip/<name>              The page for <name> (same bytes as /page/<name>), with Content-Encoding:
                              gzip when the request's Accept-Encoding lists gzip (and not with q=0),
                              identity otherwise. Vary: Accept-Encoding. Content-Length is that of the
                              bytes sent. The ETag gets a "-gzip" suffix inside the quotes when gzipped.
    /cp1252                   200 text/html; charset=windows-1252, no <meta charset> in the document.
                              An article of about 120 words containing "café", "naïve", "résumé",
                              "crêpes", "Lefèvre", ’ and the quotes “ ” encoded as windows-1252 bytes
                              (0xE9, 0xEF, 0xEA, 0xE8, 0x92, 0x93, 0x94).
    /etag/<key>               200, page "etag/<key>", with ETag: "v1" and Last-Modified: Tue, 01 Dec 2026
                              10:00:00 GMT. 304 (no body, same two headers) when If-None-Match lists
                              "v1" (or W/"v1", or *), or, when there is no If-None-Match, when
                              If-Modified-Since is that date or later.
    /binary.png               200 image/png: the 8-byte PNG signature 89 50 4E 47 0D 0A 1A 0A followed
                              by 2048 fixed pseudo-random bytes.
    /slow/<seconds>/<name>    Waits <seconds> (a float, 0..3600; otherwise 400), then answers 200 with
                              the page for <name>.
    /echo-headers             200 application/json: the request headers, as in the log's "headers".
    anything else             404 text/html, a small HTML body.
"""

from __future__ import annotations

import argparse
import errno
import gzip
import hashlib
import html
import itertools
import json
import os
import random
import re
import signal
import socket
import socketserver
import sys
import threading
import time
from datetime import datetime, timezone
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

# Errors that mean "the client went away"; never worth a traceback.
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)

VERBOSE = False


def note(message: str) -> None:
    """A diagnostic line on stderr (stdout is reserved for the PORT line)."""
    print(f"http_server: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------
# Request log
# ---------------------------------------------------------------------------------------------------


class RequestLog:
    """Appends one JSON object per line to a file, thread-safe, flushed after every line."""

    def __init__(self, path: str) -> None:
        self._file = open(path, "a", encoding="utf-8")
        self._lock = threading.Lock()

    def write(self, record: dict) -> None:
        line = json.dumps(record) + "\n"  # ensure_ascii: every line is plain ASCII
        with self._lock:
            if self._file.closed:
                return
            self._file.write(line)
            self._file.flush()

    def close(self) -> None:
        with self._lock:
            self._file.close()


# ---------------------------------------------------------------------------------------------------
# Article generator
#
# A page is built from sentence templates. "{NAME}" is a slot (see Article._slot); "{a|b|c}" picks one
# alternative. Braces nest: the innermost are expanded first, so "{said {X}|called {X}}" works. Slots
# are frequent and alternatives many, so two pages share few word 5-grams even when they use the same
# templates; a page never uses a template twice, so it has no internal repetition either. The prose
# avoids words the daemon's boilerplate rules treat as page furniture (you/our, month names, "share",
# "subscribe", "reporter"...).
# ---------------------------------------------------------------------------------------------------

SITE_NAME = "The Northern Ledger"

PLACES = [
    "Ashby", "Bramwell", "Carrick", "Dunmore", "Elmstead", "Fenwick", "Glenrock", "Harlow", "Inverbeck",
    "Kilbride", "Langley", "Marston", "Northam", "Oakhurst", "Penrith", "Quenby", "Redcliff", "Stanmore",
    "Thornbury", "Upton", "Westfield", "Yarrow", "Ashcombe", "Belford", "Coldridge", "Dalton", "Easton",
    "Farley", "Greystone", "Hatherleigh", "Ilsley", "Kirkwall", "Lydford", "Millbrook", "Norbury",
    "Ottery", "Pendle", "Rossington", "Saltash", "Tavistock", "Wexcombe", "Alderley", "Brockham",
    "Chilton", "Denholm", "Eskdale", "Fordham", "Gransden", "Holbeck", "Kelso", "Leyburn", "Morwick",
    "Newbold", "Orton", "Padstow", "Ripley", "Selby", "Tolworth", "Wendover", "Whitby",
]

BODIES = [
    "town council", "district council", "water board", "transport authority", "health trust",
    "school board", "planning committee", "harbour commission", "parks department", "fire service",
    "housing association", "chamber of commerce", "library service", "police authority",
    "energy cooperative", "county council", "rail operator", "hospital board", "flood agency",
    "roads department",
]

# Written without the article: templates say "the {x}" (or use {X}, which adds it).
PROJECTS = [
    "new footbridge", "flood barrier", "bus depot", "library extension", "cycle lane network",
    "swimming pool refurbishment", "solar farm", "market hall renovation", "eastern bypass",
    "tram extension", "community clinic", "harbour wall repairs", "school expansion",
    "water treatment plant", "affordable housing scheme", "park restoration", "railway station upgrade",
    "recycling centre", "sports ground", "wind turbine project", "sewer replacement",
    "high street redesign", "heat network", "youth centre", "museum extension", "river path",
    "ferry terminal", "care home", "airport link road", "tree planting programme", "reservoir repairs",
    "car park closure", "school meals programme", "broadband rollout", "bridge repairs",
    "street lighting upgrade", "allotment expansion", "concert hall", "fire station move",
    "wetland reserve",
]

FIRST_NAMES = [
    "Maria", "James", "Aisha", "Tomasz", "Helen", "David", "Priya", "Owen", "Fatima", "Gareth", "Chloe",
    "Samuel", "Ingrid", "Kwame", "Rosa", "Patrick", "Mei", "Alistair", "Nadia", "Callum", "Joanna",
    "Ravi", "Eleanor", "Marcus", "Sofia", "Declan", "Hannah", "Yusuf", "Grace", "Niall", "Lucia",
    "Bernard", "Amara", "Stefan", "Imogen", "Hamish", "Leila", "Victor", "Bethan", "Connor",
]

LAST_NAMES = [
    "Okafor", "Brennan", "Kowalski", "Patel", "Harding", "Lindqvist", "Mensah", "Castillo", "Fraser",
    "Nakamura", "Doherty", "Whitfield", "Osei", "Romano", "Pritchard", "Haddad", "Sinclair", "Novak",
    "Achterberg", "Gallagher", "Moreau", "Tennant", "Adeyemi", "Lowther", "Bakshi", "Carver",
    "Rahman", "Ellison", "Quigley", "Jansen", "Morrow", "Stavros", "Delaney", "Yilmaz", "Ashworth",
    "Ferreira", "Hollis", "Kaur", "McBride", "Thorne",
]

ROLES = [
    "the deputy mayor", "the council leader", "a local shopkeeper", "a retired engineer",
    "the committee chair", "a parent of two", "a bus driver", "the project manager",
    "a nurse at the district hospital", "a local historian", "the head teacher of the primary school",
    "a farmer on the edge of town", "the owner of a bakery on the high street",
    "a resident of the old quarter", "the chief executive of the trust", "a volunteer at the food bank",
    "an architect who lives nearby", "a student at the college", "the chair of the residents' association",
    "a cafe owner", "a taxi driver", "a retired teacher", "the harbour master", "a structural engineer",
    "an economist at the university", "a campaigner for safer streets",
]

# Slots drawn afresh at every use.
CHOICES = {
    "G": [
        "residents", "shop owners", "parents", "commuters", "farmers", "students", "nurses", "pensioners",
        "taxi drivers", "cyclists", "landlords", "tenants", "market traders", "fishermen", "teachers",
        "publicans", "dog walkers", "bus users", "young families", "local builders", "allotment holders",
        "hotel owners", "church leaders", "volunteers", "delivery drivers",
    ],
    "K": [
        "rising costs", "traffic congestion", "noise from the site", "the loss of green space",
        "parking", "repeated delays", "the impact on wildlife", "flooding", "air quality",
        "safety at night", "the tendering process", "a lack of consultation", "business rates",
        "access for wheelchair users", "the closure of the old road", "dust from construction",
        "the pace of the work", "maintenance bills", "the effect on house prices", "lorry movements",
        "the design", "the height of the new building", "cuts to bus services", "water pressure",
        "the budget shortfall", "vandalism", "litter", "speeding on side streets", "crowded pavements",
        "the shortage of skilled workers", "energy prices", "overflowing drains", "late night noise",
        "empty shop fronts", "the state of the roads", "queues at the surgery", "school places",
        "coastal erosion", "the cost of materials", "a shortage of affordable homes",
    ],
    "NEG": [
        "poorly managed", "badly planned", "rushed", "underfunded", "mishandled", "overambitious",
        "confused", "well intentioned but clumsy", "chaotic", "far too secretive",
    ],
    "SAID": ["said", "told the meeting", "explained", "argued", "added", "noted", "insisted", "warned"],
    "VENUE": [
        "town hall", "community centre", "library", "church hall", "leisure centre", "old fire station",
        "school hall", "market hall", "civic centre", "village hall", "rugby club", "sailing club",
    ],
    "FUND": [
        "a national infrastructure grant", "the regional growth fund", "developer contributions",
        "council reserves", "long term borrowing", "a lottery grant", "ticket sales", "parking charges",
        "a charitable trust", "a special levy on businesses",
    ],
    "DAY": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "TIME": [
        "last week", "on Tuesday", "earlier this year", "last autumn", "in the spring", "two years ago",
        "last winter", "this week", "at the weekend", "last summer", "on Friday morning",
        "three years ago", "before the election",
    ],
    "TIME2": [
        "the end of next year", "the summer", "the winter", "next spring", "the autumn",
        "the end of the decade", "the next election",
    ],
    "STREET": [
        "Church Street", "Mill Lane", "the ring road", "Station Road", "Queen Street", "the quay",
        "Bridge Street", "Market Place", "Castle Hill", "the old coast road", "Victoria Road", "Park Lane",
        "Kings Road", "Hill Street", "Water Lane", "the bypass",
    ],
    "ALT": [
        "repairing potholes", "school buildings", "bus services", "social care", "the library",
        "street cleaning", "youth clubs", "flood defences", "mental health services", "public toilets",
    ],
    "DECADE": ["1890", "1910", "1920", "1930", "1950", "1960", "1970"],
}

HEADLINES = [
    "{P} {B} backs {x} despite concerns over {K}",
    "{Residents|Traders|Parents} divided as {P} presses ahead with {x}",
    "Cost of {P} {x} climbs again",
    "Fresh delays hit {x} in {P}",
    "{P} votes on {x} after long debate",
    "Questions grow over {x} in {P}",
    "{P} {x} wins approval at last",
    "What the {x} means for {P}",
    "{P} {B} defends {x} as bills rise",
    "Row over {x} splits {P}",
]

# The first paragraph opens with one of these.
LEADS = [
    "The {B} in {P} {has approved|has signed off on|has given the go-ahead for} {X}, ending {N} months"
    " of {argument|debate|uncertainty} over the {scheme|plan|proposal}.",
    "Plans for {X} in {P} {have been delayed again|have hit another setback|are running behind schedule},"
    " {officials|council officers|managers at the {B}} {confirmed|admitted|said} on {DAY}.",
    "{G} in {P} are {divided|split|at odds} over {X}, which the {B} says {will|would}"
    " {transform|revive|reshape} the {area|town centre|district}.",
    "The cost of {X} in {P} has {risen|climbed|jumped} to {M} million pounds, according to"
    " {figures|papers|documents} {released|published|seen} {TIME}.",
    "A {long-awaited|controversial|much-delayed|modest} {report|review|study} into {X} in {P} was"
    " {published|released|presented} {TIME}, and its {findings|conclusions}"
    " {are mixed|have surprised many|have divided opinion}.",
]

# AS/CS: a person as the subject ("Maria Okafor, the deputy mayor," at first mention, then "Okafor").
# AE/CE: the same person at the end of a clause ("Maria Okafor, a retired teacher", then "Okafor").
SENTENCES = [
    "{AS} {SAID} that the {scheme|project|work} had been {NEG} from the {start|outset|beginning}.",
    "Work {began|started} {TIME} after {N} years of {debate|delay|planning|wrangling} and"
    " {two|three|several} {rejected|abandoned|revised} designs.",
    "The {final|decisive|crucial} vote {was|went} {N} to {N}, with {N} members"
    " {abstaining|absent|declining to vote}.",
    "{G} {have long|have repeatedly|say they have} {complained|worried|raised concerns} about {K}, and"
    " {many|some|most} {hope|expect|doubt} the {change|scheme|plan} will"
    " {help|make a difference|ease the problem}.",
    "\"We have {waited|campaigned|argued} for this for {N} years,\" {said|added|insisted} {CE}.",
    "\"Nobody {here|in this town|on this street} is against {X}, but people are {really|genuinely|seriously}"
    " {worried|anxious|upset} about {K},\" {said|added|continued} {CE}.",
    "{Under|According to} the {latest|revised|current} {budget|plan|estimate}, {roughly|about|nearly} {N}"
    " per cent of the {money|funding|cost} will come from {FUND}.",
    "{Officials|Council officers|Managers} {insist|maintain|say} that concerns about {K} will be"
    " {addressed|dealt with|handled} {before|long before|well before} the {first|main|final}"
    " {phase|stage} {opens|is finished|begins}.",
    "{AS} {argued|suggested|pointed out} that {K} {could|might|would} be {eased|tackled|dealt with}"
    " {with better planning|through earlier consultation|if the {B} listened more closely}.",
    "A {packed|lively|tense|crowded} meeting at the {VENUE} on {DAY} {evening|night|afternoon}"
    " {drew|attracted} more than {N} people.",
    "Some {G} {asked|questioned|wanted to know} why the {B} had not {considered|looked at|costed}"
    " {a cheaper option|a smaller scheme|an alternative site|repairing the old one}.",
    "Others {said|insisted|argued} that the {x} was {overdue|long overdue|badly needed} and"
    " {urged|asked|told} the {B} to {press on|move quickly|stop delaying}.",
    "{CS} {SAID} that {K} had {already|recently|quietly} {affected|changed|disrupted}"
    " {daily life|trade|the morning commute} on {STREET}.",
    "The {B} {expects|hopes|plans} to {finish|complete|open} the {first|main} {phase|stage|section}"
    " {within|in} {N} months, {weather permitting|if funding allows|barring further delays}.",
    "{Contractors|Engineers|Surveyors} {found|discovered|uncovered}"
    " {old mine workings|unexpected clay|a buried culvert|Victorian brickwork|contaminated soil}"
    " {beneath|under|near} the site {TIME}, which {added|caused} {N} weeks of {delay|extra work}.",
    "{AS} {said|admitted|conceded} that the {timetable|schedule|programme} had been"
    " {ambitious|optimistic|too tight} and that"
    " {lessons had been learned|mistakes had been made|the {B} would review its approach}.",
    "{Local|Nearby|Small} {businesses|traders|shops} {fear|worry|are concerned} that {K} {will|could}"
    " {keep|drive|scare} {customers|visitors|shoppers} away during the {works|construction|busy season}.",
    "A {petition|letter|campaign} {against|opposing|calling for changes to} the {plan|scheme|design} has"
    " {gathered|collected|attracted} {N} {signatures|names|supporters} {so far|since {DAY}|in a fortnight}.",
    "{Supporters|Backers|Advocates} {point to|cite|mention} {a similar scheme|a comparable project|a pilot}"
    " in {PLACE} that {cut|reduced|halved} {K} within {N} years.",
    "The {regional|national|district} {government|agency|authority} has {promised|offered|pledged} {M}"
    " million pounds {towards|for|to cover part of} the {work|project|bill}.",
    "{Critics|Opponents|Sceptics} {say|argue|claim} the {money|funding|budget} would be better spent on"
    " {ALT}.",
    "{AS} {rejected|dismissed|disputed} that {view|claim|argument}, {saying|insisting|arguing} that the"
    " {x} would {pay for itself|save money|bring jobs} over {N} years.",
    "{Traffic|Bus services|Deliveries|Bin collections} on {STREET} will be"
    " {diverted|disrupted|restricted} {from|starting on} {DAY} {for|over} {N} weeks.",
    "{Residents|Neighbours|Householders} {living|who live} {near|beside|close to} the site"
    " {were|have been} {offered|promised|sent} {leaflets|letters|a helpline|regular updates}"
    " {explaining|describing|setting out} the {work|timetable|changes}.",
    "\"{It is|This is} {not|hardly} {perfect|ideal|what we asked for}, but it is a"
    " {start|step forward|compromise},\" {said|explained|added} {CE}.",
    "{Figures|Data|Records} {from|published by|kept by} the {B} {show|suggest|indicate} that complaints"
    " about {K} have {risen|grown|fallen|doubled} {since|over} the {last|past} {N} years.",
    "{A|An independent|An earlier} {survey|consultation|poll} {found|suggested|showed} that {N} per cent"
    " of {G} {supported|backed|favoured} the {idea|plan|change}.",
    "{Environmental|Wildlife|Heritage} {groups|campaigners|experts} have {asked|urged|called on} the {B}"
    " to {protect|survey|preserve}"
    " {the old hedgerows|a colony of bats|the listed gatehouse|nesting birds|the river bank}"
    " {before|ahead of} {any|further} {work|digging|demolition}.",
    "{AE}, who {has lived|has worked|has run a business} in {P} for {N} years, {said|believes|thinks} the {x}"
    " {reflects|shows|marks} a {shift|change} in how the {town|area|district}"
    " {sees|thinks about|plans for} {the future|itself|its young people}.",
    "The {next|final|first} {public|formal|full} {hearing|meeting|review} {is due|will be held|is expected}"
    " on {DAY}, {when|at which point} {members|councillors|officials} will {decide|vote on|consider}"
    " whether to {proceed|extend the budget|change the route}.",
    "{Engineers|Designers|Planners} {have|say they have} {redrawn|revised|altered} the"
    " {plans|layout|route} {to address|to respond to|to take account of} {K}.",
    "{For now|In the meantime|Until then}, {G} {will|must|have to} {live|cope|put up} with {K}"
    " {a while longer|for some time yet|for months to come}.",
    "{One|A} {shop owner|pensioner|parent|commuter|market trader} {said|told the meeting} that {K} had become"
    " {the biggest|the main|a growing} {problem|concern|issue} {on|for} {STREET}.",
    "{Insurance|Legal|Design} costs alone {came to|reached|amounted to} {M} million pounds,"
    " {the report|the papers|the review} {says|notes|adds}.",
    "A {spokesperson|spokeswoman|spokesman} for the {B} {said|confirmed|stated} that {the|all}"
    " {contracts|tenders|bids} {had been|were} {signed|awarded|reviewed}"
    " {in line with|according to|under} the {rules|usual procedures|law}.",
    "{CS} {hopes|expects|believes} that {G} will {see|notice|feel} the {benefits|difference|improvement}"
    " {by|before|within} {TIME2}.",
    "The {old|original|existing} {building|structure|site} {dates|dates back} to the {DECADE}s and"
    " {has|had} {needed|required} {repairs|attention|work} for {decades|years|a long time}.",
    "{Several|Some|A few} {members|councillors|trustees} {said|warned|admitted}"
    " {privately|openly|publicly} that {K} {had|would have} {swayed|shaped|decided} the"
    " {vote|outcome|debate}.",
    "{Cyclists|Walkers|Drivers|Bus passengers} {using|on} {STREET} {reported|described|noticed}"
    " {longer|slower|busier} {journeys|queues|trips} in the {first|opening} week of the"
    " {work|closures|trial}.",
    "{AS} {described the {x} as|called the {x}} {a test|a turning point|a gamble|an investment} for {P}.",
    "{Questions|Doubts|Concerns} {remain|persist|linger} about {K}, which the {report|review}"
    " {does not address|fails to mention|barely covers}.",
    "{Nearby|Neighbouring} {PLACE} {faced|went through|saw} {a similar|the same|a comparable}"
    " {row|dispute|debate} {TIME} and {eventually|finally|in the end} {scaled back|dropped|redesigned}"
    " its {plans|scheme}.",
    "{G} and {G} {met|gathered} {outside|in front of} the {VENUE} {on|before} {DAY} to"
    " {show|voice|express} {support|opposition|their views}.",
    "The {latest|new|revised} {figure|estimate|total} is {N} per cent {higher|more} than"
    " {the one|the estimate|the sum} {agreed|approved|set} {TIME}.",
    "{AS} {stressed|repeated|promised} that {no|not one} {home|house|business} would be"
    " {demolished|lost|affected} {as part of|because of|during} the {scheme|work|project}.",
]

_BRACES = re.compile(r"\{([^{}]+)\}")


class Article:
    """The deterministic article for one page name."""

    def __init__(self, name: str) -> None:
        seed = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
        self.rng = random.Random(seed)
        rng = self.rng
        self.fixed = {
            "P": rng.choice(PLACES),
            "B": rng.choice(BODIES),
            "x": rng.choice(PROJECTS),
        }
        self.fixed["X"] = "the " + self.fixed["x"]
        first_a, first_c = rng.sample(FIRST_NAMES, 2)
        last_a, last_c = rng.sample(LAST_NAMES, 2)
        role_a, role_c = rng.sample(ROLES, 2)
        # name, surname, role, introduced yet?
        self.people = {
            "A": [f"{first_a} {last_a}", last_a, role_a, False],
            "C": [f"{first_c} {last_c}", last_c, role_c, False],
        }

    def _slot(self, inner: str) -> str:
        if "|" in inner:
            return self.rng.choice(inner.split("|"))
        if inner in self.fixed:
            return self.fixed[inner]
        if inner in ("AS", "AE", "CS", "CE"):
            person = self.people[inner[0]]
            if person[3]:
                return person[1]
            person[3] = True
            return f"{person[0]}, {person[2]}" + ("," if inner[1] == "S" else "")
        if inner == "N":
            return str(self.rng.randint(2, 95))
        if inner == "M":
            return f"{self.rng.uniform(1.2, 60.0):.1f}"
        if inner == "PLACE":
            return self.rng.choice([p for p in PLACES if p != self.fixed["P"]])
        return self.rng.choice(CHOICES[inner])

    def expand(self, template: str) -> str:
        text = template
        while "{" in text:
            text = _BRACES.sub(lambda match: self._slot(match.group(1)), text)
        # Capitalize the first letter (after an opening quote, if any).
        for index, char in enumerate(text):
            if char.isalpha():
                return text[:index] + char.upper() + text[index + 1:]
        return text

    def build(self) -> tuple[str, list[str]]:
        """(headline, five paragraphs)."""
        rng = self.rng
        headline = self.expand(rng.choice(HEADLINES))
        target = rng.randint(175, 225)
        sentences = [self.expand(rng.choice(LEADS))]
        words = len(sentences[0].split())
        for template in rng.sample(SENTENCES, len(SENTENCES)):
            if words >= target and len(sentences) >= 10:
                break
            sentence = self.expand(template)
            if words + len(sentence.split()) > 250:
                continue
            sentences.append(sentence)
            words += len(sentence.split())
        # Five paragraphs, sizes as even as possible, the longer ones first.
        paragraphs = []
        count, start = len(sentences), 0
        for index in range(5):
            size = count // 5 + (1 if index < count % 5 else 0)
            paragraphs.append(" ".join(sentences[start:start + size]))
            start += size
        return headline, paragraphs


def render_html(title: str, headline: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html>\n"
        f"<html><head><title>{html.escape(title, quote=False)}</title></head><body>"
        "<nav>Home | World | Sport</nav>"
        f"<article><h1>{html.escape(headline, quote=False)}</h1>{body}</article>"
        f"<footer>\u00a9 2026 {SITE_NAME}</footer>"
        "</body></html>\n"
    )


@lru_cache(maxsize=4096)
def page_body(name: str) -> bytes:
    headline, paragraphs = Article(name).build()
    return render_html(f"{headline} | {SITE_NAME}", headline, paragraphs).encode("utf-8")


def page_etag(name: str) -> str:
    return '"' + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16] + '"'


def page_last_modified(name: str) -> str:
    # A fixed moment in 2026 (before 2 Dec 2026) derived from the name.
    digest = int.from_bytes(hashlib.sha256(b"last-modified:" + name.encode("utf-8")).digest()[:8], "big")
    base = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
    return formatdate(base + digest % (300 * 86400), usegmt=True)


CP1252_TITLE = "A café on the corner changes hands"
CP1252_PARAGRAPHS = [
    "The little café on Station Road has a new owner. Marie Lefèvre, who moved to the town six years"
    " ago, signed the lease on Friday and plans to reopen within a fortnight.",
    "“I was naïve about how much work an old kitchen needs,” she said, laughing. “But the regulars"
    " kept asking when the coffee would be back, so here I am.”",
    "Her résumé includes eight years as a pastry chef in Lyon and a short spell running a bakery stall"
    " at the Saturday market.",
    "Neighbours said the café had been badly missed. “It’s the only place on the street where people"
    " actually talk to each other,” said one man waiting outside.",
    "The menu will stay simple: soup, fresh bread, crêpes and a cake of the day.",
]
CP1252_BODY = render_html(CP1252_TITLE, CP1252_TITLE, CP1252_PARAGRAPHS).encode("cp1252")

PNG_BODY = b"\x89PNG\r\n\x1a\n" + random.Random(1234).randbytes(2048)

ROBOTS_BODY = b"User-agent: *\nDisallow: /private/\n"

# /big payload: a 64-byte line, repeated into a 64 KiB block.
BIG_LINE = b"winnow test payload abcdefghijklmnopqrstuvwxyz 0123456789012345\n"
assert len(BIG_LINE) == 64
BIG_BLOCK = BIG_LINE * 1024
MIB = 1 << 20

ETAG_V1 = '"v1"'
ETAG_LAST_MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT"
ETAG_LAST_MODIFIED_DT = parsedate_to_datetime(ETAG_LAST_MODIFIED)


def small_html(status: int, message: str, extra: str = "") -> bytes:
    """A minimal HTML page for status responses; `extra` is markup added after the heading."""
    text = html.escape(f"{status} {message}")
    return (f"<!DOCTYPE html>\n<html><head><title>{text}</title></head>"
            f"<body><h1>{text}</h1>{extra}</body></html>\n").encode()


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding value lists gzip (or x-gzip) with a non-zero q."""
    for item in (header or "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip"):
            continue
        match = re.search(r"q\s*=\s*([0-9.]+)", params)
        try:
            if match and float(match.group(1)) == 0:
                continue
        except ValueError:
            pass
        return True
    return False


# ---------------------------------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------------------------------


class FirstRequestState:
    """Per-route, per-key "has this key been requested before?" flags, thread-safe."""

    def __init__(self) -> None:
        self._seen: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def first(self, route: str, key: str) -> bool:
        with self._lock:
            if (route, key) in self._seen:
                return False
            self._seen.add((route, key))
            return True


STATE = FirstRequestState()
_connection_ids = itertools.count(1)
_connection_ids_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections are closed after this many seconds

    # -- plumbing ----------------------------------------------------------------------------------

    def version_string(self) -> str:
        return "WinnowTestServer/1.0"  # the Server header

    def setup(self) -> None:
        super().setup()
        with _connection_ids_lock:
            self.connection_id = next(_connection_ids)
        self.requests_on_connection = 0

    def handle(self) -> None:
        try:
            super().handle()
        except CLIENT_GONE:
            self.close_connection = True

    def finish(self) -> None:
        try:
            super().finish()
        except CLIENT_GONE:
            pass

    def end_headers(self) -> None:
        # Say so when the connection will close (an HTTP/1.0 client, "Connection: close", /drip).
        if self.close_connection and not any(line.lower().startswith(b"connection:")
                                             for line in getattr(self, "_headers_buffer", [])):
            self.send_header("Connection", "close")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (signature of the base class)
        if VERBOSE:
            sys.stderr.write(f"{self.address_string()} [{self.connection.getsockname()[0]}] {format % args}\n")

    def header_dict(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return headers

    def log_request_record(self) -> None:
        self.requests_on_connection += 1
        self.server.request_log.write({
            "time": time.time(),
            "method": self.command,
            "path": self.path,
            "host": self.headers.get("Host"),
            "local_address": self.connection.getsockname()[0],
            "headers": self.header_dict(),
            "connection": self.connection_id,
            "request_on_connection": self.requests_on_connection,
        })

    def send_body(self, body: bytes) -> None:
        if self.command != "HEAD":
            self.wfile.write(body)

    def respond(self, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8",
                headers: list[tuple[str, str]] | tuple = ()) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.send_body(body)

    def redirect(self, location: str) -> None:
        self.respond(302, small_html(302, "Found", f'<a href="{html.escape(location)}">{html.escape(location)}</a>'),
                     headers=[("Location", location)])

    def not_found(self) -> None:
        self.respond(404, small_html(404, "Not Found"))

    def bad_request(self, why: str) -> None:
        self.respond(400, small_html(400, f"Bad Request: {why}"))

    def page(self, name: str, status: int = 200) -> None:
        self.respond(status, page_body(name), headers=[
            ("ETag", page_etag(name)),
            ("Last-Modified", page_last_modified(name)),
        ])

    # -- methods -----------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self.log_request_record()
        self.route()

    do_HEAD = do_GET

    def do_other(self) -> None:
        self.log_request_record()
        # Drain a request body so the connection can be kept; give up on anything unusual.
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or (length and not length.isdigit()):
            self.close_connection = True
        elif length and int(length) <= 16 * MIB:
            self.rfile.read(int(length))
        elif length:
            self.close_connection = True
        self.respond(405, small_html(405, "Method Not Allowed"), headers=[("Allow", "GET, HEAD")])

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = do_other

    # -- routes ------------------------------------------------------------------------------------

    def route(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        for pattern, handler in ROUTES:
            match = pattern.fullmatch(path)
            if match:
                return handler(self, query, *(unquote(group) for group in match.groups()))
        self.not_found()

    def r_robots(self, query) -> None:
        self.respond(200, ROBOTS_BODY, "text/plain; charset=utf-8")

    def r_page(self, query, name) -> None:
        self.page(name)

    def r_private(self, query, rest) -> None:
        self.page("private/" + rest)

    def r_redirect(self, query, n) -> None:
        count = int(n)
        self.redirect(f"/redirect/{count - 1}" if count > 0 else "/page/redirect-target")

    def r_redirect_to_file(self, query) -> None:
        self.redirect("file:///etc/passwd")

    def r_redirect_absolute(self, query) -> None:
        target = query.get("to", [""])[0]
        if not target or "\r" in target or "\n" in target:
            return self.bad_request("need ?to=URL")
        self.redirect(target)

    def r_loop(self, query) -> None:
        self.redirect("/loop")

    def r_missing(self, query) -> None:
        self.not_found()

    def r_flaky(self, query, key) -> None:
        if STATE.first("flaky", key):
            return self.respond(500, small_html(500, "Internal Server Error"))
        self.page("flaky/" + key)

    def r_busy(self, query, key) -> None:
        if STATE.first("busy", key):
            return self.respond(429, small_html(429, "Too Many Requests"), headers=[("Retry-After", "2")])
        self.page("busy/" + key)

    def r_unavailable(self, query, key) -> None:
        if STATE.first("unavailable", key):
            return self.respond(503, small_html(503, "Service Unavailable"), headers=[("Retry-After", "1")])
        self.page("unavailable/" + key)

    def r_drip(self, query) -> None:
        body = (BIG_LINE * 10)[:600]
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", "600")
        self.send_header("Connection", "close")  # also sets close_connection
        self.end_headers()
        if self.command == "HEAD":
            return
        for index in range(len(body)):
            if index:
                time.sleep(1)
            try:
                self.wfile.write(body[index:index + 1])
            except OSError:  # the client hung up
                return

    def _big_length(self, query) -> int | None:
        try:
            mb = float(query.get("mb", ["1"])[0])
        except ValueError:
            return None
        if not 0 <= mb <= 65536:  # also rejects NaN
            return None
        return int(mb * MIB)

    def r_big(self, query) -> None:
        length = self._big_length(query)
        if length is None:
            return self.bad_request("mb must be a number from 0 to 65536")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if self.command == "HEAD":
            return
        view = memoryview(BIG_BLOCK)
        remaining = length
        while remaining > 0:
            size = min(remaining, len(BIG_BLOCK))
            self.wfile.write(view[:size])
            remaining -= size

    def r_big_chunked(self, query) -> None:
        length = self._big_length(query)
        if length is None:
            return self.bad_request("mb must be a number from 0 to 65536")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            return
        full_chunk = b"%x\r\n" % len(BIG_BLOCK) + BIG_BLOCK + b"\r\n"
        remaining = length
        while remaining > 0:
            size = min(remaining, len(BIG_BLOCK))
            self.wfile.write(full_chunk if size == len(BIG_BLOCK) else b"%x\r\n" % size + BIG_BLOCK[:size] + b"\r\n")
            remaining -= size
        self.wfile.write(b"0\r\n\r\n")

    def r_gzip(self, query, name) -> None:
        body, etag = page_body(name), page_etag(name)
        headers = [("Vary", "Accept-Encoding"), ("Last-Modified", page_last_modified(name))]
        if accepts_gzip(self.headers.get("Accept-Encoding")):
            body = gzip.compress(body, mtime=0)  # mtime=0: the same bytes every time
            headers += [("Content-Encoding", "gzip"), ("ETag", etag[:-1] + '-gzip"')]
        else:
            headers.append(("ETag", etag))
        self.respond(200, body, headers=headers)

    def r_cp1252(self, query) -> None:
        self.respond(200, CP1252_BODY, "text/html; charset=windows-1252")

    def r_etag(self, query, key) -> None:
        validators = [("ETag", ETAG_V1), ("Last-Modified", ETAG_LAST_MODIFIED)]
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_none_match is not None:
            tags = [tag.strip() for tag in if_none_match.split(",")]
            not_modified = any(tag in ("*", ETAG_V1, "W/" + ETAG_V1) for tag in tags)
        elif if_modified_since is not None:
            try:
                not_modified = parsedate_to_datetime(if_modified_since) >= ETAG_LAST_MODIFIED_DT
            except (TypeError, ValueError):
                not_modified = False
        else:
            not_modified = False
        if not_modified:
            # 304: no body and no Content-Length; the connection stays usable.
            self.send_response(304)
            for name, value in validators:
                self.send_header(name, value)
            self.end_headers()
            return
        self.respond(200, page_body("etag/" + key), headers=validators)

    def r_binary_png(self, query) -> None:
        self.respond(200, PNG_BODY, "image/png")

    def r_slow(self, query, seconds, name) -> None:
        try:
            delay = float(seconds)
        except ValueError:
            delay = -1.0
        if not 0 <= delay <= 3600:
            return self.bad_request("seconds must be a number from 0 to 3600")
        time.sleep(delay)
        self.page(name)

    def r_echo_headers(self, query) -> None:
        body = json.dumps(self.header_dict(), indent=2).encode() + b"\n"
        self.respond(200, body, "application/json")


ROUTES = [(re.compile(pattern), handler) for pattern, handler in [
    (r"/robots\.txt", Handler.r_robots),
    (r"/page/(.+)", Handler.r_page),
    (r"/private/(.*)", Handler.r_private),
    (r"/redirect/(\d+)", Handler.r_redirect),
    (r"/redirect-to-file", Handler.r_redirect_to_file),
    (r"/redirect-absolute", Handler.r_redirect_absolute),
    (r"/loop", Handler.r_loop),
    (r"/missing", Handler.r_missing),
    (r"/flaky/(.+)", Handler.r_flaky),
    (r"/busy/(.+)", Handler.r_busy),
    (r"/unavailable/(.+)", Handler.r_unavailable),
    (r"/drip", Handler.r_drip),
    (r"/big", Handler.r_big),
    (r"/big-chunked", Handler.r_big_chunked),
    (r"/gzip/(.+)", Handler.r_gzip),
    (r"/cp1252", Handler.r_cp1252),
    (r"/etag/(.+)", Handler.r_etag),
    (r"/binary\.png", Handler.r_binary_png),
    (r"/slow/([^/]+)/(.+)", Handler.r_slow),
    (r"/echo-headers", Handler.r_echo_headers),
]]


class Server(ThreadingHTTPServer):
    daemon_threads = True     # connection threads never keep the process alive
    block_on_close = False    # and server_close() does not wait for them
    request_queue_size = 128  # listen backlog (the default, 5, is too small for bursts)

    def __init__(self, address: tuple, request_log: RequestLog) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.request_log = request_log
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind also does a reverse DNS lookup (getfqdn); not needed, and can be slow.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], CLIENT_GONE):
            return
        super().handle_error(request, client_address)  # traceback on stderr


IPV6_UNAVAILABLE = {errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT, errno.EPROTONOSUPPORT}


def bind_all(port: int, hosts: int, ipv6: bool, request_log: RequestLog) -> list[Server]:
    """Binds every address on one port; with port 0, retries until one free port fits all of them."""
    addresses = [f"127.0.0.{index}" for index in range(1, hosts + 1)]
    attempts = 50 if port == 0 else 1
    for _ in range(attempts):
        servers: list[Server] = []
        try:
            servers.append(Server((addresses[0], port), request_log))
            chosen = servers[0].server_address[1]
            for address in addresses[1:]:
                servers.append(Server((address, chosen), request_log))
            if ipv6:
                if not socket.has_ipv6:
                    note("IPv6 is not supported here; not listening on ::1")
                else:
                    try:
                        servers.append(Server(("::1", chosen), request_log))
                    except OSError as error:
                        if error.errno not in IPV6_UNAVAILABLE:
                            raise
                        note(f"IPv6 loopback unavailable ({error.strerror}); not listening on ::1")
            return servers
        except OSError as error:
            for server in servers:
                server.server_close()
            if port == 0 and error.errno == errno.EADDRINUSE:
                continue  # the port chosen on 127.0.0.1 is taken elsewhere: try another
            raise
    raise OSError(errno.EADDRINUSE, "no free port common to all addresses")


def main() -> int:
    global VERBOSE
    parser = argparse.ArgumentParser(description="Test HTTP server for Winnow's fetcher tests.")
    parser.add_argument("--log", required=True, help="append one JSON line per request to this file")
    parser.add_argument("--port", type=int, default=0, help="port for every address (0: pick a free one)")
    parser.add_argument("--hosts", type=int, default=1, help="also listen on 127.0.0.2 .. 127.0.0.N")
    parser.add_argument("--ipv6", action="store_true", help="also listen on ::1")
    parser.add_argument("--exit-with-parent", action="store_true", help="exit when the parent process dies")
    parser.add_argument("--verbose", action="store_true", help="access log on stderr")
    args = parser.parse_args()
    if not 1 <= args.hosts <= 254:
        parser.error("--hosts must be from 1 to 254")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be from 0 to 65535")
    VERBOSE = args.verbose

    # A plain flag, not a threading.Event: the handler runs in the main thread between bytecodes, and
    # Event.set() could then wait forever on a lock the interrupted Event.wait() holds.
    stop = {"requested": False}

    def request_stop(*_) -> None:
        stop["requested"] = True

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, request_stop)
    # A parent may start us with these blocked (a spawned process inherits the signal mask of the
    # thread that spawned it, and test runners block signals in their threads).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

    request_log = RequestLog(args.log)
    try:
        servers = bind_all(args.port, args.hosts, args.ipv6, request_log)
    except OSError as error:
        note(f"cannot listen: {error}")
        return 1

    threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
               for server in servers]
    for thread in threads:
        thread.start()
    if VERBOSE:
        note("listening on " + ", ".join(f"[{s.server_address[0]}]:{s.server_address[1]}" for s in servers))
    print(f"PORT {servers[0].server_address[1]}", flush=True)

    if args.exit_with_parent:
        parent = os.getppid()

        def watch_parent() -> None:
            while not stop["requested"]:
                time.sleep(0.5)
                if os.getppid() != parent:
                    request_stop()

        threading.Thread(target=watch_parent, daemon=True).start()

    while not stop["requested"]:
        time.sleep(0.1)  # a signal interrupts the sleep, runs request_stop, and the loop ends

    # shutdown() blocks until that server's loop has stopped: stop them all at once.
    stoppers = [threading.Thread(target=server.shutdown) for server in servers]
    for stopper in stoppers:
        stopper.start()
    for stopper in stoppers:
        stopper.join()
    for server in servers:
        server.server_close()
    request_log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
