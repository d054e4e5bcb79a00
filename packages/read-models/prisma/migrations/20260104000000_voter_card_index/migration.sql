-- The voter-cards service's card index: which voter (voterKey, the HMAC of the citizen ID) holds a
-- card number, and on which list they are now. Written after the ledger commits a registration or a
-- transfer; rebuildable from the log (apps/voter-cards/src/shared/card-index-rebuild.ts).

-- CreateTable
CREATE TABLE "voter_card_index" (
    "card_number" TEXT NOT NULL,
    "voter_key" TEXT NOT NULL,
    "home_polling_area_id" TEXT NOT NULL,
    "listed_polling_area_id" TEXT NOT NULL,
    "position" BIGINT NOT NULL,

    CONSTRAINT "voter_card_index_pkey" PRIMARY KEY ("card_number")
);

-- CreateIndex
CREATE UNIQUE INDEX "voter_card_index_voter_key_key" ON "voter_card_index"("voter_key");
