#!/usr/bin/env python3
"""The Candor audit written the way a data engineer would: DuckDB SQL plus regular expressions.

    python3 bench/scale/duckdb_audit.py LOGS.jsonl [--threads N]

Input: canonical JSON Lines, one message per line (conversation_id, timestamp, channel, role, text,
optional event / csat). Lines of a conversation may be out of place: messages are grouped by
conversation_id and ordered by timestamp. Prints one JSON object:

    {"conversations": N, "messages": M, "paths": {...}, "rules": {RULE: conversations, ...}, "seconds": S}

`seconds` is the wall time of the one SQL query (reading the file included, Python start-up excluded).

The rules are those of eval/README.md ("The rules"); each cue class (disclosure, denial, offer of a
human, negated offer, request for a human, refusal of a human, identity question) is one
case-insensitive RE2 regex covering English, Spanish, German and French, tuned on the phrasing of
examples/generate_logs.rs.

The conversation structure is not the hard part: paths, the AI's first turn (its messages and notices
until the next customer or human-agent message), requests before a human joined, the escalation point,
"the AI's next message" after an identity question: all fit window functions and two GROUP BYs. The
weak part is the text: deciding from a message alone whether it discloses, denies, offers, asks.

What SQL + regexes cannot express well (known gaps against Candor):

* Negation is decided per message, not per phrase: RE2 has no look-behind, so a message that contains
  both a negated offer and a real one ("I can't transfer you, but you can call us on ...") loses the
  offer, and a request next to a refusal ("I don't want a bot, I want a human") is dropped.
* A bare "yes" / "no" answering "are you a bot?" is read literally: the reply is matched on its own
  words only ("Yes, you're talking to a real person" is a denial because of "real person"), not
  interpreted against the question as Candor does.
* No language detection: every regex contains all four languages, so a word of one language inside
  another is matched anyway, and a language that is not covered is audited (with no matches) instead
  of being reported as not assessed.
* No internal-note / customer-visibility handling: every `system` message counts as a notice.
* The regexes are phrase lists, not a lexicon with word frames: paraphrases outside the patterns
  ("a colleague can take over if you like", "I am software") are missed, and product words that happen
  to fit a pattern are not told apart from context beyond what the pattern itself encodes.
* Ties in timestamp within a conversation are ordered arbitrarily (read_ndjson has no line number to
  fall back on without an extra pass).
* Because the regexes were written from the generator's phrase tables, they agree with Candor on
  generated logs but generalise poorly: on the hand-written held-out corpus (eval/test, en/de/fr/es)
  they miss most requests for a human, repeated requests and denials that use other wording.
"""

import argparse
import json
import os
import re
import sys
import time

import duckdb

# ------------------------------------------------------------------------------------------ cues
# One regex per cue class, all four languages, case-insensitive; (?m) so that ^ and $ also match at
# line breaks (e-mails wrap a one-word request like "AGENT." in a greeting and a signature).

# The AI (or a notice) says it is an AI.
DISCLOSURE = r"""(?i)
  \b(virtual|automated|digital|ai|ai[-\s]powered|ai\s+voice)\s+(assistant|agent|helper)\b
| \bchat\s?bot\b
| \b(i'?m|i\s+am)\s+(an?\s+)?(ai|bot|robot|machine|language\s+model)\b
| \bartificial\s+intelligence\b
| \basistente\s+(virtual|autom[aá]tic[oa]|de\s+(ia|inteligencia\s+artificial))
| \bsoy\s+(un|una)\s+(bot|robot|ia)\b | \binteligencia\s+artificial\b
| \b(virtuell|digital|automatisch)\w*\s+(sprach)?assistent | \bki-(sprach)?assistent | \b(eine|die)\s+ki\b
| \bassistant\s+(virtuel|ia\b|automatique|vocal\s+automatique|d'intelligence\s+artificielle)
| \b(une|l')\s?ia\b | \bintelligence\s+artificielle\b
"""

# An AI message claims to be human or denies being a bot.
DENIAL = r"""(?i)
  \b(i'?m|i\s+am)\s+(an?\s+)?(real\s+|actual\s+)?(human|person|human\s+being)\b
| \b(i'?m|i\s+am)\s+not\s+(an?\s+)?(bot|robot|ai|chatbot|machine|computer)\b
| \b(you'?re|you\s+are)\s+(talking|speaking|chatting)\s+(to|with)\s+an?\s+(real\s+|actual\s+)?(person|human)\b
| \bas\s+an?\s+real\s+(human|person)\b | \breal\s+member\s+of\s+(the|our)\s+team\b
| \bsoy\s+(una\s+persona|humano|humana)\b | \bpersona\s+real\b
| \b(ich\s+bin|als)\s+(ein\s+)?echter\s+mensch | \bkein\s+(bot|roboter|computer)\b
| \bje\s+suis\s+(une\s+vraie\s+personne|un\s+humain|humain)\b | \bvraie\s+personne\b
"""

# An AI message or notice offers a way to reach a person.
OFFER = r"""(?i)
  \b(talk|speak|chat)\s+(to|with)\s+(an?\s+)?(real\s+|live\s+)?(person|human|someone|agent|representative|advisor)
| \b(type|reply|say|write)\s+["“']?(agent|human|representative|operator)\b
| \bask\s+for\s+an?\s+(human|person|live\s+agent|agent|representative)
| \b(connect|transfer|put)(ting|ring)?\s+you\s+(with|to|through)
| \bcall[\s-]?back\b | \bhuman\s+(agent|colleague)\b
| \bhablar\s+con\s+una?\s+(persona|agente|humano) | \bpasarle\s+con\b | \bescriba\s+"?agente
| \bmit\s+einem\s+(menschen|mitarbeiter|berater)\b | \bverbinde\s+ich\s+sie\b | \bmenschlichen\s+berater
| \bparler\s+[àa]\s+(un|une)\s+(humain|conseiller|personne) | \ben\s+relation\s+avec\s+un\s+conseiller | \btapez\s+"?conseiller
"""

# ... unless the same message says no one can be reached.
NEGATED_OFFER = r"""(?i)
  \b(can'?t|cannot|can\s+not|unable\s+to|not\s+able\s+to)\s+(transfer|connect|put\s+you)
| \bno\s+(human\s+)?(agents?|advisors?|one|humans?|representatives?)\s+(is\s+|are\s+)?(currently\s+)?available
| \b(agents?|advisors?|team)\s+(is|are)\s+(not\s+available|unavailable|offline|closed)
| \bqueue\s+is\s+closed
| \bno\s+hay\s+agentes | \bkein\s+mitarbeiter\s+verf | \baucun\s+conseiller
"""

# A customer asks for a person.
REQUEST = r"""(?im)
  ^\W*(an?\s+)?(real\s+|live\s+)?(human|agent|operator|representative|person)(\W+(please|pls|now|agent|human))*\W*$
| \b(talk|speak|chat)\s+(to|with)\s+(an?\s+)?(real\s+|live\s+|actual\s+)?(human|person|agent|representative|operator|someone|somebody)
| \bis\s+there\s+(an?|any)\s+(real\s+)?(human|person|agent)
| \b(connect|transfer|put)\s+me\s+(to|with|through)
| \b(want|need|get\s+me|asked\s+for|give\s+me)\s+(an?\s+)?(real\s+|live\s+)?(human|person|agent|representative)
| \b(representative|agent|human)\s+(please|pls|now)\b
| \bhablar\s+con\s+(una?|alg[uú]n[a]?)\s+(persona|agente|humano) | \bpasar\s+con\s+una?\s+(agente|persona) | ^\W*agente\b
| \bmit\s+(einem|einer)\s+(menschen|mitarbeiter\w*|berater\w*|person)\s+(sprechen|verbinden)
| \bverbinden\s+sie\s+mich | \b(will|m[öo]chte)\s+(einen\s+)?(echten\s+)?menschen | ^\W*mitarbeiter\b
| \bparler\s+[àa]\s+(un|une)\s+(humain|conseiller|personne|agent) | \bpasser\s+(un|une)\s+(conseiller|humain|agent)
| \bdemand[ée]\s+(un|une)\s+(vrai\s+|vraie\s+)?(conseiller|humain|personne) | ^\W*(un\s+)?conseiller\b
"""

# ... unless the message refuses one ("I don't want a human").
REFUSAL = r"""(?i)
  \b(don'?t|do\s+not|never)\s+(want|need)\b | \bno\s+(quiero|necesito)\b
| \b(will|m[öo]chte)\s+(ich\s+)?(keinen|nicht)\b | \bne\s+veux\s+pas\b
"""

# A customer asks whether they are talking to a bot or a person.
IDENTITY_QUESTION = r"""(?i)
  \b(are|r)\s+(you|u)\s+(an?\s+)?(real\s+|actual\s+)?(bot|robot|ai|human|person|machine|computer|chatbot)\b
| \b(am\s+i|are\s+we)\s+(talking|speaking|chatting)\s+(to|with)\s+(an?\s+)?(real\s+|actual\s+)?(bot|robot|ai|human|person|machine)
| \bis\s+(this|that|it)\s+(an?\s+)?(real\s+|actual\s+)?(bot|robot|ai|human|person)\b
| \b(eres|es\s+usted)\s+(un|una)\s+(bot|robot|ia|persona|humano) | \bhablo\s+con\s+(un|una)\s+(bot|robot|persona|humano)
| \b(bist\s+du|sind\s+sie)\s+(ein|eine)\s+(bot|roboter|ki|mensch) | \bspreche\s+ich\s+mit\s+(einem|einer)\s+(echten\s+)?(menschen|bot|ki|roboter|person)
| \b(vous\s+[êe]tes|es-tu|[êe]tes-vous)\s+(un|une)\s+(robot|bot|ia|humain|vraie\s+personne|personne)
| \bje\s+parle\s+[àa]\s+(un|une)\s+(robot|bot|ia|humain|vraie\s+personne|personne)
"""


def regex(pattern: str) -> str:
    """A pattern written over several lines (for reading) as one SQL string literal."""
    # Layout whitespace is dropped: the patterns spell a space as \s.
    compact = re.sub(r"\s+", "", pattern)
    return "'" + compact.replace("'", "''") + "'"


# ------------------------------------------------------------------------------------------ SQL

SQL = """
WITH
-- 1. The lines: only the columns the audit reads (channel, csat and locale are skipped).
raw AS (
    SELECT conversation_id AS cid, "timestamp" AS ts, lower(role) AS role, text, coalesce(lower(event), '') AS event
    FROM read_ndjson({path}, columns = {{
        conversation_id: 'VARCHAR', "timestamp": 'TIMESTAMP', role: 'VARCHAR', text: 'VARCHAR', event: 'VARCHAR'
    }})
),

-- 2. Cues per message. CASE runs each regex only on the roles it concerns.
cues AS (
    SELECT cid, ts, role, event,
        -- disclosure: by an AI message or a notice (or a `disclosure` event)
        CASE WHEN role IN ('ai', 'system')
             THEN event = 'disclosure' OR regexp_matches(text, {disclosure})
             ELSE false END                                                  AS disc,
        -- denial: an AI message claiming to be human
        CASE WHEN role = 'ai' THEN regexp_matches(text, {denial}) ELSE false END AS deny,
        -- offer of a human (or a `human_option` event), unless the message negates it
        CASE WHEN role IN ('ai', 'system')
             THEN event = 'human_option'
                  OR (regexp_matches(text, {offer}) AND NOT regexp_matches(text, {negated_offer}))
             ELSE false END                                                  AS offer,
        -- identity question by the customer
        CASE WHEN role = 'customer' THEN regexp_matches(text, {identity_question}) ELSE false END AS idq,
        -- request for a human by the customer (not a refusal, not an identity question)
        CASE WHEN role = 'customer'
             THEN regexp_matches(text, {request})
                  AND NOT regexp_matches(text, {refusal})
                  AND NOT regexp_matches(text, {identity_question})
             ELSE false END                                                  AS req_cue
    FROM raw
),

-- 3. Order within each conversation, with running counts (one sort: all windows share w).
--    turn: +1 at every customer or human-agent message, so a "turn" is one such message and the
--    AI messages / notices after it; the AI's first turn is the turn of its first message.
seq AS (
    SELECT *,
        row_number()                                       OVER w  AS i,
        count(*) FILTER (role IN ('customer', 'human_agent')) OVER w  AS turn,
        count(*) FILTER (role = 'ai')                      OVER w  AS ai_upto,
        count(*) FILTER (role = 'ai')                      OVER wa AS ai_total,
        count(*) FILTER (role = 'human_agent')             OVER w  AS humans_upto,
        count(*) FILTER (req_cue)                          OVER w  AS req_upto
    FROM cues
    WINDOW w  AS (PARTITION BY cid ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
           wa AS (PARTITION BY cid ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),

-- 4. Per turn: was it opened by an identity question, and does its first AI message answer it
--    (disclose or deny)? Plus partial aggregates for the conversation.
turns AS (
    SELECT cid, turn,
        count(*) FILTER (role = 'ai')                                   AS n_ai,
        bool_or(role = 'customer' AND idq AND humans_upto = 0)          AS question,
        arg_min(disc OR deny, i) FILTER (role = 'ai')                   AS reply_answers,
        bool_or(disc)                                                   AS disc,
        bool_or(offer)                                                  AS offer,
        bool_or(deny)                                                   AS deny,
        bool_or(role = 'human_agent')                                   AS human,
        -- first human agent message after the first AI message
        min(i) FILTER (role = 'human_agent' AND ai_upto > 0)            AS human_after_ai,
        -- a transfer with no AI message after it: the log ends on a handoff
        min(i) FILTER (event = 'handoff' AND ai_upto = ai_total)        AS final_handoff,
        -- requests for a human made before any human agent wrote
        max(i) FILTER (req_cue AND humans_upto = 0)                     AS last_req,
        min(i) FILTER (req_cue AND humans_upto = 0 AND req_upto = 2)    AS second_req
    FROM seq
    GROUP BY cid, turn
),

-- 5. Per conversation.
convs AS (
    SELECT cid,
        sum(n_ai) > 0                                                   AS has_ai,
        bool_or(human)                                                  AS has_human,
        min(turn) FILTER (n_ai > 0)                                     AS first_ai_turn,
        min(turn) FILTER (disc)                                         AS first_disc_turn,
        bool_or(offer)                                                  AS offered,
        bool_or(deny)                                                   AS denied,
        bool_or(question AND n_ai > 0 AND NOT reply_answers)            AS unanswered,
        min(human_after_ai)                                             AS human_after_ai,
        min(final_handoff)                                              AS final_handoff,
        max(last_req)                                                   AS last_req,
        min(second_req)                                                 AS second_req
    FROM turns
    GROUP BY cid
),

-- 6. Path and rules per conversation.
audit AS (
    SELECT cid,
        CASE WHEN has_ai AND (human_after_ai IS NOT NULL OR final_handoff IS NOT NULL) THEN 'escalated'
             WHEN has_ai    THEN 'ai_only'
             WHEN has_human THEN 'human_only'
             ELSE 'no_agent' END                                        AS path,
        has_ai AND first_disc_turn IS NULL                              AS disclosure_missing,
        has_ai AND first_disc_turn > first_ai_turn                      AS disclosure_late,
        has_ai AND human_after_ai IS NULL AND final_handoff IS NULL
               AND NOT offered                                          AS human_option_missing,
        -- asked, and no human came after the request and the log does not end on a later transfer
        has_ai AND last_req IS NOT NULL AND NOT has_human
               AND (final_handoff IS NULL OR last_req > final_handoff)  AS human_request_unmet,
        -- a second request before the escalation point (least() skips NULLs)
        has_ai AND second_req < least(human_after_ai, final_handoff)    AS human_request_repeated,
        has_ai AND coalesce(unanswered, false)                          AS identity_question_unanswered,
        has_ai AND denied                                               AS ai_identity_denied
    FROM convs
)

-- 7. Summary: one row.
SELECT
    (SELECT count(*) FROM raw)                                          AS messages,
    count(*)                                                            AS conversations,
    count(*) FILTER (path = 'ai_only')                                  AS ai_only,
    count(*) FILTER (path = 'escalated')                                AS escalated,
    count(*) FILTER (path = 'human_only')                               AS human_only,
    count(*) FILTER (path = 'no_agent')                                 AS no_agent,
    count(*) FILTER (disclosure_missing)                                AS "DISCLOSURE_MISSING",
    count(*) FILTER (disclosure_late)                                   AS "DISCLOSURE_LATE",
    count(*) FILTER (human_option_missing)                              AS "HUMAN_OPTION_MISSING",
    count(*) FILTER (human_request_unmet)                               AS "HUMAN_REQUEST_UNMET",
    count(*) FILTER (human_request_repeated)                            AS "HUMAN_REQUEST_REPEATED",
    count(*) FILTER (identity_question_unanswered)                      AS "IDENTITY_QUESTION_UNANSWERED",
    count(*) FILTER (ai_identity_denied)                                AS "AI_IDENTITY_DENIED"
FROM audit
"""

RULES = [
    "DISCLOSURE_MISSING",
    "DISCLOSURE_LATE",
    "HUMAN_OPTION_MISSING",
    "HUMAN_REQUEST_UNMET",
    "HUMAN_REQUEST_REPEATED",
    "IDENTITY_QUESTION_UNANSWERED",
    "AI_IDENTITY_DENIED",
]
PATHS = ["ai_only", "escalated", "human_only", "no_agent"]


def build_sql(path: str) -> str:
    return SQL.format(
        path="'" + path.replace("'", "''") + "'",
        disclosure=regex(DISCLOSURE),
        denial=regex(DENIAL),
        offer=regex(OFFER),
        negated_offer=regex(NEGATED_OFFER),
        request=regex(REQUEST),
        refusal=regex(REFUSAL),
        identity_question=regex(IDENTITY_QUESTION),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", help="JSON Lines file, one message per line")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="DuckDB threads (default: all cores)")
    args = ap.parse_args()
    if not os.path.exists(args.path):
        print(f"no such file: {args.path}", file=sys.stderr)
        return 2

    con = duckdb.connect()
    con.execute(f"SET threads = {max(1, args.threads)}")
    sql = build_sql(args.path)
    started = time.perf_counter()
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    row = dict(zip(names, cur.fetchone()))
    seconds = time.perf_counter() - started

    print(json.dumps({
        "conversations": row["conversations"],
        "messages": row["messages"],
        "paths": {p: row[p] for p in PATHS},
        "rules": {r: row[r] for r in RULES},
        "seconds": round(seconds, 3),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
