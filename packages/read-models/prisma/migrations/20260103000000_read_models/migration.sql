-- Read models built by the projector from the ledger's events (issue #5). Every row records the
-- log position it reflects; projection_checkpoint says how far each projection has applied.

-- CreateTable
CREATE TABLE "projection_checkpoint" (
    "name" TEXT NOT NULL,
    "position" BIGINT NOT NULL DEFAULT 0,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projection_checkpoint_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "city_overview" (
    "id" INTEGER NOT NULL,
    "voters_on_list" INTEGER NOT NULL,
    "voters_voted" INTEGER NOT NULL,
    "check_ins" INTEGER NOT NULL,
    "polling_areas_total" INTEGER NOT NULL,
    "polling_areas_opened" INTEGER NOT NULL,
    "polling_areas_reported" INTEGER NOT NULL,
    "polling_areas_closed" INTEGER NOT NULL,
    "minutes_expected" INTEGER NOT NULL,
    "minutes_received" INTEGER NOT NULL,
    "position" BIGINT NOT NULL,

    CONSTRAINT "city_overview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commune_progress" (
    "commune_id" TEXT NOT NULL,
    "voters_on_list" INTEGER NOT NULL,
    "voters_voted" INTEGER NOT NULL,
    "check_ins" INTEGER NOT NULL,
    "polling_areas_total" INTEGER NOT NULL,
    "polling_areas_opened" INTEGER NOT NULL,
    "polling_areas_reported" INTEGER NOT NULL,
    "polling_areas_closed" INTEGER NOT NULL,
    "minutes_expected" INTEGER NOT NULL,
    "minutes_received" INTEGER NOT NULL,
    "position" BIGINT NOT NULL,

    CONSTRAINT "commune_progress_pkey" PRIMARY KEY ("commune_id")
);

-- CreateTable
CREATE TABLE "polling_area_status" (
    "polling_area_id" TEXT NOT NULL,
    "commune_id" TEXT,
    "voters_on_list" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "last_report_as_of" TIMESTAMPTZ(3),
    "voters_voted" INTEGER NOT NULL,
    "turnout_reports" INTEGER NOT NULL,
    "check_ins" INTEGER NOT NULL,
    "check_ins_refused" INTEGER NOT NULL,
    "minute_version_na" INTEGER NOT NULL,
    "minute_version_city" INTEGER NOT NULL,
    "minute_version_commune" INTEGER NOT NULL,
    "position" BIGINT NOT NULL,

    CONSTRAINT "polling_area_status_pkey" PRIMARY KEY ("polling_area_id"),
    CONSTRAINT "polling_area_status_status_check" CHECK ("status" IN ('not_opened', 'open', 'closed'))
);

-- CreateTable
CREATE TABLE "turnout_timeline" (
    "scope_kind" TEXT NOT NULL,
    "scope_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "voters_voted" INTEGER NOT NULL,
    "areas_reporting" INTEGER NOT NULL,
    "last_as_of" TIMESTAMPTZ(3) NOT NULL,
    "position" BIGINT NOT NULL,

    CONSTRAINT "turnout_timeline_pkey" PRIMARY KEY ("scope_kind", "scope_id", "at"),
    CONSTRAINT "turnout_timeline_scope_kind_check" CHECK ("scope_kind" IN ('city', 'commune', 'area'))
);

-- CreateTable
CREATE TABLE "voter_card_distribution" (
    "commune_id" TEXT NOT NULL,
    "registered" INTEGER NOT NULL,
    "delivered" INTEGER NOT NULL,
    "unreachable" INTEGER NOT NULL,
    "struck_off" INTEGER NOT NULL,
    "transferred_in" INTEGER NOT NULL,
    "transferred_out" INTEGER NOT NULL,
    "checked_in" INTEGER NOT NULL,
    "check_ins_refused" INTEGER NOT NULL,
    "duplicate_registrations" INTEGER NOT NULL,
    "position" BIGINT NOT NULL,

    CONSTRAINT "voter_card_distribution_pkey" PRIMARY KEY ("commune_id")
);

-- CreateTable
CREATE TABLE "tally_minute" (
    "polling_area_id" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "commune_id" TEXT,
    "version" INTEGER NOT NULL,
    "voters_on_list" INTEGER NOT NULL,
    "voters_voted" INTEGER NOT NULL,
    "ballots_issued" INTEGER NOT NULL,
    "ballots_received" INTEGER NOT NULL,
    "valid_ballots" INTEGER NOT NULL,
    "invalid_ballots" INTEGER NOT NULL,
    "complaints_received" INTEGER NOT NULL,
    "complaints_resolved" INTEGER NOT NULL,
    "complaints_forwarded" INTEGER NOT NULL,
    "votes" JSONB NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "submitted_by" TEXT NOT NULL,
    "corrected_at" TIMESTAMPTZ(3),
    "corrected_by" TEXT,
    "correction_reason" TEXT,
    "position" BIGINT NOT NULL,

    CONSTRAINT "tally_minute_pkey" PRIMARY KEY ("polling_area_id", "level")
);

-- CreateTable
CREATE TABLE "unit_result" (
    "unit_id" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "seats" INTEGER NOT NULL,
    "voters_on_list" INTEGER NOT NULL,
    "voters_voted" INTEGER NOT NULL,
    "valid_ballots" INTEGER NOT NULL,
    "invalid_ballots" INTEGER NOT NULL,
    "areas_reporting" INTEGER NOT NULL,
    "areas_total" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "candidates" JSONB NOT NULL,
    "tied_at_last_seat" JSONB NOT NULL,
    "declared" BOOLEAN NOT NULL,
    "declared_at" TIMESTAMPTZ(3),
    "declared_outcome" TEXT,
    "declarations" INTEGER NOT NULL,
    "position" BIGINT NOT NULL,

    CONSTRAINT "unit_result_pkey" PRIMARY KEY ("unit_id")
);

-- CreateTable
CREATE TABLE "incident" (
    "incident_id" TEXT NOT NULL,
    "polling_area_id" TEXT NOT NULL,
    "commune_id" TEXT,
    "category" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "assigned_unit" TEXT,
    "resolution" TEXT,
    "notes" INTEGER NOT NULL,
    "history_count" INTEGER NOT NULL,
    "position" BIGINT NOT NULL,

    CONSTRAINT "incident_pkey" PRIMARY KEY ("incident_id")
);

-- CreateTable
CREATE TABLE "anomaly" (
    "anomaly_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "polling_area_id" TEXT,
    "commune_id" TEXT,
    "summary" TEXT NOT NULL,
    "subject" JSONB NOT NULL,
    "facts" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "at_position" BIGINT NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT,
    "position" BIGINT NOT NULL,

    CONSTRAINT "anomaly_pkey" PRIMARY KEY ("anomaly_id")
);

-- CreateIndex
CREATE INDEX "polling_area_status_commune_id_idx" ON "polling_area_status"("commune_id");

-- CreateIndex
CREATE INDEX "tally_minute_unit_id_idx" ON "tally_minute"("unit_id");

-- CreateIndex
CREATE INDEX "unit_result_level_idx" ON "unit_result"("level");

-- CreateIndex
CREATE INDEX "incident_status_severity_idx" ON "incident"("status", "severity");

-- CreateIndex
CREATE INDEX "incident_commune_id_idx" ON "incident"("commune_id");

-- CreateIndex
CREATE INDEX "anomaly_status_kind_idx" ON "anomaly"("status", "kind");

-- CreateIndex
CREATE INDEX "anomaly_commune_id_idx" ON "anomaly"("commune_id");
