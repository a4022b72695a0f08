import { registry } from "@web/core/registry";

// Import first: from the QuickBooks settings, the admin opens the import wizard, picks how
// records are matched, previews what would happen, applies it and reads the summary.
registry.category("web_tour.tours").add("quickbooks_import_wizard", {
    steps: () => [
        {
            content: "The Sync block offers to import from QuickBooks",
            trigger: "button.o_quickbooks_import",
            run: "click",
        },
        {
            content: "The wizard explains why importing first avoids duplicates",
            trigger: ".modal-dialog .o_quickbooks_import_wizard:contains(Import first, then sync.)",
        },
        {
            content: "Match by name, or by email or phone",
            trigger: ".modal-dialog div[name=match_strategy] input[data-value=name_or_contact]",
            run: "click",
        },
        {
            content: "Preview",
            trigger: ".modal-dialog button.o_quickbooks_preview",
            run: "click",
        },
        {
            content: "The preview says what would be linked and created, before anything is written",
            trigger: ".modal-dialog .o_quickbooks_import_preview:contains(Nothing has been written yet)",
        },
        {
            content: "Two records are recognised in Odoo",
            trigger: ".modal-dialog div[name=to_link]:contains(2)",
        },
        {
            content: "...and the summary table counts them per list",
            trigger: ".modal-dialog table.o_quickbooks_import_summary tr.o_qbo_row_Customer td.o_qbo_create:contains(1)",
        },
        {
            content: "The full list can be downloaded",
            trigger: ".modal-dialog div[name=preview_file] a, .modal-dialog div[name=preview_file] button",
        },
        {
            content: "Import",
            trigger: ".modal-dialog button.o_quickbooks_apply",
            run: "click",
        },
        {
            content: "The summary says what was done",
            trigger: ".modal-dialog .o_quickbooks_import_done:contains(2 linked, 2 created)",
        },
        {
            content: "The table's headings now say what was done",
            trigger: ".modal-dialog table.o_quickbooks_import_summary th.o_qbo_head_link:contains(Linked)",
        },
        {
            content: "...created, not to create",
            trigger: ".modal-dialog table.o_quickbooks_import_summary th.o_qbo_head_create:contains(Created)",
        },
        {
            content: "Close",
            trigger: ".modal-dialog .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "Back on the settings",
            trigger: "body:not(:has(.modal-dialog)) button.o_quickbooks_import",
        },
    ],
});
