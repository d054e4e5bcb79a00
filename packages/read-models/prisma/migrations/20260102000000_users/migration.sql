-- Accounts allowed to obtain a token from the gateway, with their role and scope (design/api.md, Auth).

-- CreateTable
CREATE TABLE "users" (
    "username" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "scope_commune_id" TEXT,
    "scope_polling_area_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("username"),
    CONSTRAINT "users_role_check" CHECK ("role" IN ('admin', 'ops', 'police', 'auditor', 'commune', 'reporter')),
    CONSTRAINT "users_scope_check" CHECK (
        ("role" IN ('admin', 'ops', 'police', 'auditor') AND "scope_commune_id" IS NULL AND "scope_polling_area_id" IS NULL)
        OR ("role" = 'commune' AND "scope_commune_id" IS NOT NULL AND "scope_polling_area_id" IS NULL)
        OR ("role" = 'reporter' AND "scope_commune_id" IS NOT NULL AND "scope_polling_area_id" IS NOT NULL)
    )
);

-- CreateIndex
CREATE INDEX "users_scope_commune_id_idx" ON "users"("scope_commune_id");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_scope_commune_id_fkey" FOREIGN KEY ("scope_commune_id") REFERENCES "commune"("commune_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_scope_polling_area_id_fkey" FOREIGN KEY ("scope_polling_area_id") REFERENCES "polling_area"("polling_area_id") ON DELETE RESTRICT ON UPDATE CASCADE;
