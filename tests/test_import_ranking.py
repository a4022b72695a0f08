"""Import ranking: under "name or contact", a record of that exact name outranks one that only
shares a phone or an email; candidates that share a name are told apart in the preview."""

from odoo.tests import BaseCase, tagged

from ..mapping.matching import PartyIndex, best_candidate, email_keys, normalize_name, normalize_phone
from .common import QuickBooksCase
from .import_data import new_bare_realm, seed


def keys(name, email="", phone=""):
    return {normalize_name(name)}, email_keys(email), {normalize_phone(phone)} - {""}


@tagged("post_install", "-at_install")
class TestPartyRanking(BaseCase):
    def setUp(self):
        super().setUp()
        self.index = PartyIndex()
        self.index.add("exact", *keys("Mark Cho", "mark@cho.example"))
        self.index.add("phone_only", *keys("Marcus Chu", "marcus@chu.example", "+1 617 555 0142"))

    def test_exact_name_outranks_a_phone_only_match(self):
        scores = self.index.candidates(*keys("Mark Cho", phone="(617) 555-0142"), "name_or_contact")
        self.assertEqual(set(scores), {"exact", "phone_only"})
        self.assertGreater(scores["exact"], scores["phone_only"])
        self.assertEqual(best_candidate(scores), "exact")

    def test_exact_name_outranks_an_email_and_phone_match(self):
        self.index.add("both_contacts", *keys("M. Cho Consulting", "mark.cho@work.example", "617 555 0199"))
        scores = self.index.candidates(*keys("Mark Cho", "mark.cho@work.example", "617-555-0199"),
                                       "name_or_contact")
        self.assertEqual(best_candidate(scores), "exact")

    def test_between_namesakes_the_contact_decides_and_a_tie_is_a_conflict(self):
        self.index.add("namesake", *keys("Mark Cho", "other@cho.example"))
        by_email = self.index.candidates(*keys("Mark Cho", "mark@cho.example"), "name_or_contact")
        self.assertEqual(best_candidate(by_email), "exact")
        undecided = self.index.candidates(*keys("Mark Cho"), "name_or_contact")
        self.assertEqual(set(undecided), {"exact", "namesake"})
        self.assertIsNone(best_candidate(undecided))

    def test_contact_only_match_still_links_when_no_name_matches(self):
        scores = self.index.candidates(*keys("M. Chu", phone="617.555.0142"), "name_or_contact")
        self.assertEqual(best_candidate(scores), "phone_only")
        self.assertEqual(self.index.candidates(*keys("Mark Cho", phone="617.555.0142"), "email"), {})


@tagged("post_install", "-at_install")
class TestImportRanking(QuickBooksCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.realm_id = new_bare_realm(cls.emulator, "Ranking Books")
        cls.q_mark, cls.q_twin = seed(cls.emulator, cls.realm_id, Customer=[
            {"DisplayName": "Mark Cho", "PrimaryPhone": {"FreeFormNumber": "(617) 555-0142"}},
            {"DisplayName": "Dana Lee"},
        ])["Customer"]
        partner = cls.env["res.partner"]
        cls.mark = partner.create({"name": "Mark Cho", "email": "mark@cho.example", "customer_rank": 1})
        cls.marcus = partner.create({"name": "Marcus Chu", "phone": "+1 617 555 0142", "customer_rank": 1})
        cls.dana_boston = partner.create({"name": "Dana Lee", "email": "dana@lee.example", "city": "Boston",
                                          "customer_rank": 1})
        cls.dana_austin = partner.create({"name": "Dana Lee", "city": "Austin", "ref": "C-204", "customer_rank": 1})

    def test_preview_links_the_exact_name_and_tells_namesakes_apart(self):
        self.connect()
        self.connection.action_sync_references()
        wizard = self.env["quickbooks.import.wizard"].with_context(
            default_connection_id=self.connection.id).create({"match_strategy": "name_or_contact"})
        wizard.action_preview()
        line = wizard.line_ids.filtered(lambda line: line.name == "Dana Lee")
        self.assertEqual(len(line), 1)
        self.assertIn("Dana Lee (dana@lee.example, Boston)", line.reason)
        self.assertIn("Dana Lee (Austin, ref C-204)", line.reason)
        self.assertEqual(set(line.candidate_partner_ids.ids), {self.dana_boston.id, self.dana_austin.id})
        self.assertFalse(wizard.line_ids.filtered(lambda line: line.name == "Mark Cho"), "not a conflict")
        wizard.action_apply()
        binding = self.env["quickbooks.binding"].search([
            ("realm_id", "=", self.realm_id), ("qbo_entity", "=", "Customer"), ("qbo_id", "=", self.q_mark)])
        self.assertEqual(binding.res_id, self.mark.id, "the exact name, not the phone-only match")
