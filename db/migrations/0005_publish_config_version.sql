ALTER TABLE "organizations" ADD COLUMN "config_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- hand-written
-- What a publish reads (the organization's event types, its endpoints' enabled flag and subscriptions) bumps the
-- organization's config_version when it changes; the publish's write is refused when the version it read is old.
CREATE FUNCTION "hookrelay_bump_config_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE "organizations" SET "config_version" = "config_version" + 1 WHERE "id" = OLD."org_id";
    RETURN OLD;
  END IF;
  UPDATE "organizations" SET "config_version" = "config_version" + 1 WHERE "id" = NEW."org_id";
  IF TG_OP = 'UPDATE' AND OLD."org_id" IS DISTINCT FROM NEW."org_id" THEN
    UPDATE "organizations" SET "config_version" = "config_version" + 1 WHERE "id" = OLD."org_id";
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "endpoints_config_version_ins_del" AFTER INSERT OR DELETE ON "endpoints"
  FOR EACH ROW EXECUTE FUNCTION "hookrelay_bump_config_version"();
--> statement-breakpoint
CREATE TRIGGER "endpoints_config_version_upd" AFTER UPDATE ON "endpoints"
  FOR EACH ROW WHEN (OLD."enabled" IS DISTINCT FROM NEW."enabled" OR OLD."event_types" IS DISTINCT FROM NEW."event_types"
    OR OLD."org_id" IS DISTINCT FROM NEW."org_id")
  EXECUTE FUNCTION "hookrelay_bump_config_version"();
--> statement-breakpoint
CREATE TRIGGER "event_types_config_version" AFTER INSERT OR UPDATE OR DELETE ON "event_types"
  FOR EACH ROW EXECUTE FUNCTION "hookrelay_bump_config_version"();
