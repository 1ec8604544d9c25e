-- The head follows its chain: inserting an entry moves the head's hash to that entry's, in the
-- database itself, so an append is two statements (move the head's number, insert the entry)
-- and no write path can leave a head behind its chain. Only the entry with the head's own
-- number moves it; an entry inserted anywhere else leaves the head where it is, and
-- `portal verify-log` names it.
CREATE FUNCTION access_log_head_follows() RETURNS trigger AS $$
BEGIN
    UPDATE access_log_heads SET hash = NEW.hash
    WHERE patient_id = NEW.patient_id AND seq = NEW.seq;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_head_follows AFTER INSERT ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_head_follows();
