ALTER TABLE "attempts" DROP CONSTRAINT "attempts_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_org_id_organizations_id_fk";
