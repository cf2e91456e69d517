"""The questions BI users ask, as SQL that runs unchanged on DuckDB and PostgreSQL."""

from __future__ import annotations

#: The party name (from schemas/profiles/roles.toml) that question (b) looks for.
RESELLER_PARTY = "Reseller"
#: The `$party` the README's examples of questions (d) and (e) pass.
EXAMPLE_PARTIES = {"party_leads_today": "CSM", "party_changes_latest": RESELLER_PARTY}

# The questions BI users ask. Parameters are written `$name` (DuckDB's syntax; for psycopg use
# `pipeline.bi.postgres.sql_for_psycopg`). Every query runs unchanged on DuckDB and PostgreSQL.
QUESTIONS: dict[str, str] = {
    # (a) Which activities changed owner between two revisions ($old_date, $new_date: ISO dates)?
    # An owner change is a different lead or a different set of parties on either buying path.
    "owner_changes": """
SELECT n.document_id, n.activity_id, n.phase, n.activity,
       o.reseller_lead AS old_reseller_lead, n.reseller_lead AS new_reseller_lead,
       o.direct_lead AS old_direct_lead, n.direct_lead AS new_direct_lead,
       o.reseller_parties AS old_reseller_parties, n.reseller_parties AS new_reseller_parties,
       o.direct_parties AS old_direct_parties, n.direct_parties AS new_direct_parties
FROM fact_responsibility AS o
JOIN fact_responsibility AS n
  ON n.document_id = o.document_id AND n.activity_id = o.activity_id
WHERE o.revision_date = CAST($old_date AS DATE)
  AND n.revision_date = CAST($new_date AS DATE)
  AND (o.reseller_lead IS DISTINCT FROM n.reseller_lead
       OR o.direct_lead IS DISTINCT FROM n.direct_lead
       OR o.reseller_parties <> n.reseller_parties
       OR o.direct_parties <> n.direct_parties)
ORDER BY n.document_id, n.activity_order
""".strip(),
    # (b) Where does the reseller lead today (in the latest revision of each job aid)?
    "reseller_leads_today": f"""
SELECT f.document_id, f.revision_date, f.phase, f.activity, f.reseller_owner, f.reseller_parties
FROM fact_responsibility AS f
JOIN dim_revision AS r ON r.revision_key = f.revision_key
WHERE r.is_latest AND f.reseller_lead = '{RESELLER_PARTY}'
ORDER BY f.document_id, f.activity_order
""".strip(),
    # (c) What can the customer self-serve today, and since when without a break?
    # Since = the first revision of the unbroken run of revisions, up to the latest, in which the
    # activity was there and self-service was available.
    "self_service_today": """
WITH today AS (
  SELECT f.document_id, f.activity_id, f.phase, f.activity, f.self_service, f.activity_order
  FROM fact_responsibility AS f
  JOIN dim_revision AS r ON r.revision_key = f.revision_key
  WHERE r.is_latest AND f.self_service_status = 'available'
),
gaps AS (
  SELECT t.document_id, t.activity_id, MAX(r.revision_date) AS last_gap
  FROM today AS t
  JOIN dim_revision AS r ON r.document_id = t.document_id
  LEFT JOIN fact_responsibility AS f
    ON f.revision_key = r.revision_key AND f.activity_id = t.activity_id
   AND f.self_service_status = 'available'
  WHERE f.activity_id IS NULL
  GROUP BY t.document_id, t.activity_id
)
SELECT t.document_id, t.phase, t.activity, t.self_service,
       MIN(r.revision_date) AS self_service_since
FROM today AS t
JOIN dim_revision AS r ON r.document_id = t.document_id
LEFT JOIN gaps AS g ON g.document_id = t.document_id AND g.activity_id = t.activity_id
WHERE g.last_gap IS NULL OR r.revision_date > g.last_gap
GROUP BY t.document_id, t.activity_id, t.phase, t.activity, t.self_service, t.activity_order
ORDER BY t.document_id, t.activity_order
""".strip(),
    # (d) What does a party lead today ($party: a canonical name from dim_party, e.g. 'CSM')?
    # One row per activity and buying path it leads, in the latest revision of each job aid.
    "party_leads_today": """
SELECT i.document_id, i.revision_date, i.phase, i.activity, i.path
FROM fact_involvement AS i
JOIN dim_revision AS r ON r.revision_key = i.revision_key
WHERE r.is_latest AND i.party = $party AND i.role = 'lead'
ORDER BY i.document_id, i.activity_order, i.path
""".strip(),
    # (e) What changed for a party ($party, e.g. 'Reseller') between the last two revisions of each
    # job aid? One row per activity and path where its part (lead, support or none) differs.
    "party_changes_latest": """
WITH pair AS (
  SELECT document_id, previous_revision_date AS old_date, revision_date AS new_date
  FROM dim_revision
  WHERE is_latest AND previous_revision_date IS NOT NULL
),
o AS (
  SELECT i.* FROM fact_involvement AS i
  JOIN pair AS p ON p.document_id = i.document_id AND i.revision_date = p.old_date
  WHERE i.party = $party
),
n AS (
  SELECT i.* FROM fact_involvement AS i
  JOIN pair AS p ON p.document_id = i.document_id AND i.revision_date = p.new_date
  WHERE i.party = $party
)
SELECT COALESCE(n.document_id, o.document_id) AS document_id,
       COALESCE(n.activity_id, o.activity_id) AS activity_id,
       COALESCE(n.activity, o.activity) AS activity,
       COALESCE(n.path, o.path) AS path,
       o.role AS old_role, n.role AS new_role
FROM o
FULL OUTER JOIN n
  ON n.document_id = o.document_id AND n.activity_id = o.activity_id AND n.path = o.path
WHERE o.role IS DISTINCT FROM n.role
ORDER BY 1, COALESCE(n.activity_order, o.activity_order), 4
""".strip(),
}
