import { registry } from "@web/core/registry";

function goTo(url) {
    return {
        content: `Go to ${url}`,
        trigger: "body",
        run() {
            window.location.assign(url);
        },
        expectUnloadPage: true,
    };
}

const INVOICES = "/odoo/action-account.action_move_out_invoice_type";
const SYNC_LOG = "/odoo/quickbooks-sync-log";
const TAXES = "/odoo/action-account.action_tax_form";

function openInvoiceOf(customer) {
    return [
        goTo(INVOICES),
        {
            content: `Open the invoice of ${customer}`,
            trigger: `.o_data_row:contains(${customer}) td[name=invoice_partner_display_name]`,
            run: "click",
        },
    ];
}

function sendNow() {
    return [
        goTo(SYNC_LOG),
        {
            content: "Send the queue now instead of waiting for the cron",
            trigger: "button.o_quickbooks_process_now",
            run: "click",
        },
        {
            content: "The queue ran",
            trigger: ".o_notification:contains(processed)",
        },
        goTo(SYNC_LOG),
    ];
}

function setTaxCode(value) {
    return [
        goTo(TAXES),
        { content: "Open the sales tax", trigger: ".o_data_row:contains(Tour sales tax 8%) td[name=name]", run: "click" },
        ...(value
            ? [
                  { content: "Pick the QuickBooks tax code", trigger: "div[name=quickbooks_tax_code_ref_id] input", run: `edit ${value}` },
                  { content: "Choose it", trigger: `.o-autocomplete--dropdown-item:contains(${value})`, run: "click" },
              ]
            : [
                  { content: "Remove the QuickBooks tax code", trigger: "div[name=quickbooks_tax_code_ref_id] input", run: "clear" },
                  { content: "Leave the field", trigger: ".o_form_sheet", run: "click" },
              ]),
        { content: "Save", trigger: ".o_form_button_save", run: "click" },
        { content: "Saved", trigger: ".o_form_saved" },
    ];
}

registry.category("web_tour.tours").add("quickbooks_invoice_sync", {
    steps: () => [
        // A posted invoice goes to QuickBooks and comes back with its QuickBooks number.
        ...openInvoiceOf("Tour Customer A"),
        { content: "Sync to QuickBooks", trigger: "button[name=action_quickbooks_sync]", run: "click" },
        { content: "Queued", trigger: ".o_quickbooks_badge:contains(Queued)" },
        ...sendNow(),
        ...openInvoiceOf("Tour Customer A"),
        { content: "Synced", trigger: ".o_quickbooks_badge:contains(Synced)" },
        { content: "With its QuickBooks number", trigger: ".o_quickbooks_number:contains(INV/)" },
        { content: "And a link to it in QuickBooks", trigger: "button.o_quickbooks_open" },

        // Break the tax mapping: the next invoice fails, visibly, with what to do.
        ...setTaxCode(null),
        ...openInvoiceOf("Tour Customer B"),
        { content: "Sync to QuickBooks", trigger: "button[name=action_quickbooks_sync]", run: "click" },
        { content: "Queued", trigger: ".o_quickbooks_badge:contains(Queued)" },
        ...sendNow(),
        {
            content: "The Sync Log shows the failure",
            trigger: ".o_data_row:contains(Failed):contains(is not mapped to a QuickBooks tax code) td[name=record_name]",
            run: "click",
        },
        { content: "...with what to do", trigger: ".o_quickbooks_job_error:contains(Reference data)" },

        // Fix the mapping, retry: synced.
        ...setTaxCode("California"),
        goTo(SYNC_LOG),
        {
            content: "Open the failed job",
            trigger: ".o_data_row:contains(is not mapped to a QuickBooks tax code) td[name=record_name]",
            run: "click",
        },
        { content: "Retry", trigger: "button.o_quickbooks_retry", run: "click" },
        { content: "Pending again", trigger: ".o_statusbar_status .o_arrow_button_current:contains(Pending)" },
        ...sendNow(),
        ...openInvoiceOf("Tour Customer B"),
        { content: "Synced after the fix", trigger: ".o_quickbooks_badge:contains(Synced)" },
    ],
});
