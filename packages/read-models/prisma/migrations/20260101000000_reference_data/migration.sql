-- Reference data of the election: communes, polling areas, electoral units and candidates.

-- CreateTable
CREATE TABLE "reference_dataset" (
    "dataset_id" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "election_date" TEXT NOT NULL,
    "communes" INTEGER NOT NULL,
    "polling_areas" INTEGER NOT NULL,
    "voters_on_list" INTEGER NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reference_dataset_pkey" PRIMARY KEY ("dataset_id")
);

-- CreateTable
CREATE TABLE "commune" (
    "commune_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "population" INTEGER NOT NULL,
    "area_km2" DECIMAL(10,2) NOT NULL,
    "voters_on_list" INTEGER NOT NULL,
    "polling_area_count" INTEGER NOT NULL,
    "election_date" TEXT NOT NULL,
    "cards_from" TEXT NOT NULL,
    "cards_to" TEXT NOT NULL,

    CONSTRAINT "commune_pkey" PRIMARY KEY ("commune_id")
);

-- CreateTable
CREATE TABLE "polling_area" (
    "polling_area_id" TEXT NOT NULL,
    "commune_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "separate_kind" TEXT,
    "voters_on_list" INTEGER NOT NULL,
    "na_unit_id" TEXT NOT NULL,
    "city_unit_id" TEXT NOT NULL,
    "commune_unit_id" TEXT NOT NULL,

    CONSTRAINT "polling_area_pkey" PRIMARY KEY ("polling_area_id")
);

-- CreateTable
CREATE TABLE "electoral_unit" (
    "unit_id" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "seats" INTEGER NOT NULL,
    "commune_ids" TEXT[],

    CONSTRAINT "electoral_unit_pkey" PRIMARY KEY ("unit_id")
);

-- CreateTable
CREATE TABLE "candidate" (
    "candidate_id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "full_name" TEXT NOT NULL,
    "gender" TEXT NOT NULL,
    "birth_date" TEXT NOT NULL,

    CONSTRAINT "candidate_pkey" PRIMARY KEY ("candidate_id")
);

-- CreateIndex
CREATE INDEX "polling_area_commune_id_idx" ON "polling_area"("commune_id");

-- CreateIndex
CREATE INDEX "polling_area_na_unit_id_idx" ON "polling_area"("na_unit_id");

-- CreateIndex
CREATE INDEX "polling_area_city_unit_id_idx" ON "polling_area"("city_unit_id");

-- CreateIndex
CREATE INDEX "polling_area_commune_unit_id_idx" ON "polling_area"("commune_unit_id");

-- CreateIndex
CREATE INDEX "electoral_unit_level_idx" ON "electoral_unit"("level");

-- CreateIndex
CREATE INDEX "candidate_unit_id_idx" ON "candidate"("unit_id");

-- AddForeignKey
ALTER TABLE "polling_area" ADD CONSTRAINT "polling_area_commune_id_fkey" FOREIGN KEY ("commune_id") REFERENCES "commune"("commune_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "candidate" ADD CONSTRAINT "candidate_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "electoral_unit"("unit_id") ON DELETE RESTRICT ON UPDATE CASCADE;
