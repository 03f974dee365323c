-- The runs page filtered by repository and outcome (the failures of one repository, its most common view after the
-- unfiltered one) read the repository's index and skipped every run of another outcome: with 100,000 runs in 50
-- repositories that is ten rows read for each one shown. This index leads with both, so the page reads its 51 rows.
CREATE INDEX runs_by_repository_status ON runs (repository, status, triggered_at DESC, run_id, attempt);
