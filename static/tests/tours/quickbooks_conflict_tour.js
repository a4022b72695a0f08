import { registry } from "@web/core/registry";

// A customer's email changed both in Odoo and in QuickBooks: the Sync Log entry shows both
// values side by side, and one click takes QuickBooks' value; the sync goes on (issue 10).
registry.category("web_tour.tours").add("quickbooks_conflict_resolve", {
    steps: () => [
        { content: "The entry is in conflict", trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains(Conflict)" },
        { content: "Open the conflict", trigger: ".o_notebook .nav-link:contains(Conflict)", run: "click" },
        { content: "Odoo's value", trigger: ".o_quickbooks_conflict_lines td:contains(odoo@tour-conflict.example)" },
        { content: "QuickBooks' value beside it", trigger: ".o_quickbooks_conflict_lines td:contains(quickbooks@tour-conflict.example)" },
        { content: "Take QuickBooks' value", trigger: ".o_quickbooks_conflict_lines button.o_quickbooks_take_quickbooks", run: "click" },
        { content: "Settled, and said so", trigger: ".o_notification:contains(Conflict settled)" },
        { content: "The entry is done", trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains(Done)" },
        { content: "No choice left to make", trigger: ".o_form_view:not(:has(button.o_quickbooks_take_quickbooks))" },
    ],
});
