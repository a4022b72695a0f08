import uuid

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..mapping.common import DISPLAY_NAME_MAX, qbo_name, quote
from ..mapping.customer import parent_id_of
from ..mapping.employee import same_name
from ..sync.ledger import Ledger
from ..transport.errors import QuickBooksError


class QuickbooksProjectLinkWizard(models.TransientModel):
    """A project made in Odoo and QuickBooks: link it to an existing QuickBooks customer (or
    sub-customer, or QuickBooks Project), or create it there as a sub-customer of the project's
    customer (``Job``, ``ParentRef``).  Its timesheet entries then go to that customer object.
    Looked up before created: running it again links what is there, it creates nothing twice."""

    _name = "quickbooks.project.link.wizard"
    _description = "Link a Project to QuickBooks"

    project_id = fields.Many2one("project.project", required=True, readonly=True, ondelete="cascade")
    mode = fields.Selection([("link", "Link to an existing QuickBooks customer"),
                             ("create", "Create in QuickBooks as a sub-customer of the project's customer")],
                            required=True, default="link")
    qbo_name = fields.Char("QuickBooks customer name", required=True,
                           help="Link: the DisplayName of the QuickBooks customer, sub-customer or project. Create: "
                                "the name of the new sub-customer.")
    partner_id = fields.Many2one(related="project_id.partner_id", string="Parent customer")

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_manager"):
            raise AccessError(self.env._("Only QuickBooks managers can link projects to QuickBooks."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard.project_id.check_access("write")
        return wizards

    def _connection(self):
        connection = self.project_id.company_id._quickbooks_connection() if self.project_id.company_id \
            else self.env.company._quickbooks_connection()
        connection.check_access("read")
        connection = connection.sudo()
        if not connection.realm_id:
            raise UserError(self.env._("%s is not connected to QuickBooks: connect it first (Settings > QuickBooks).",
                                       connection.company_id.name))
        return connection

    def action_confirm(self):
        self.ensure_one()
        self._check_manager()
        project = self.project_id
        project.check_access("write")
        connection = self._connection()
        name = qbo_name(self.qbo_name, DISPLAY_NAME_MAX)
        if not name:
            raise UserError(self.env._("Enter the QuickBooks customer's name."))
        client = connection._client()
        try:
            found = client.query(
                f"select * from Customer where DisplayName = {quote(name)} and Active in (true, false)"  # noqa: S608
            ).get("Customer", [])
        except QuickBooksError as exc:
            raise UserError(exc.user_message()) from exc
        exact = [customer for customer in found if customer.get("DisplayName") == name]
        found = exact or [customer for customer in found if same_name(customer.get("DisplayName"), name)]
        if self.mode == "link":
            if not found:
                raise UserError(self.env._(
                    "QuickBooks has no customer, sub-customer or project named %s: check the name (QuickBooks' "
                    "display name), or create it as a sub-customer.", name))
            customer = found[0]
        else:
            customer = self._create_sub_customer(connection, client, name, found)
        other = self.env["project.project"].sudo().with_context(active_test=False).search([
            ("quickbooks_customer_ref", "=", str(customer["Id"])),
            ("quickbooks_customer_realm", "=", connection.realm_id),
            ("id", "!=", project.id)], limit=1)
        if other:
            raise UserError(self.env._("The QuickBooks customer %(name)s is the customer of project %(project)s "
                                       "already: one QuickBooks customer per project.",
                                       name=customer.get("FullyQualifiedName") or name, project=other.display_name))
        project.write({"quickbooks_customer_ref": str(customer["Id"]),
                       "quickbooks_customer_name": customer.get("FullyQualifiedName") or customer.get("DisplayName"),
                       "quickbooks_customer_realm": connection.realm_id})
        project.message_post(body=self.env._("Linked to the QuickBooks customer %(name)s (id %(id)s).",
                                             name=project.quickbooks_customer_name, id=customer["Id"]))
        return {"type": "ir.actions.act_window_close"}

    def _create_sub_customer(self, connection, client, name, found):
        """The project's sub-customer under its customer's QuickBooks customer: the one already
        there (a run whose answer was lost, or a second click), else a new one."""
        partner = self.project_id.partner_id
        if not partner:
            raise UserError(self.env._("Set the project's customer first: the sub-customer is created under it."))
        link = Ledger(connection).links("res.partner", [partner.id], "Customer").get(partner.id)
        if not link:
            raise UserError(self.env._(
                "The customer %s is not in QuickBooks yet: send it first (Sync to QuickBooks on the customer), then "
                "create the project's sub-customer.", partner.display_name))
        for customer in found:
            if parent_id_of(customer) == str(link.qbo_id):
                return customer  # there already: linked, not created twice
        if found:
            other = found[0]
            raise UserError(self.env._(
                "QuickBooks has a customer named %(name)s already (%(full)s), not under %(partner)s: link to it, or "
                "choose another name (names are unique in QuickBooks).", name=name,
                full=other.get("FullyQualifiedName") or name, partner=partner.display_name))
        try:
            return client.create("Customer", {"DisplayName": name, "Job": True, "BillWithParent": False,
                                              "ParentRef": {"value": str(link.qbo_id)}},
                                 request_id=str(uuid.uuid4()))
        except QuickBooksError as exc:
            raise UserError(exc.user_message()) from exc
