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

const BILLS = "/odoo/action-account.action_move_in_invoice_type";
const SYNC_LOG = "/odoo/quickbooks-sync-log";

function openBillOf(vendor) {
    return [
        goTo(BILLS),
        {
            content: `Open the bill of ${vendor}`,
            trigger: `.o_data_row:contains(${vendor}) td[name=invoice_partner_display_name]`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("quickbooks_bill_sync", {
    steps: () => [
        // A posted vendor bill goes to QuickBooks as a Bill and comes back with its number.
        ...openBillOf("Tour Vendor"),
        { content: "Sync to QuickBooks", trigger: "button[name=action_quickbooks_sync]", run: "click" },
        { content: "Queued", trigger: ".o_quickbooks_badge:contains(Queued)" },
        goTo(SYNC_LOG),
        {
            content: "Send the queue now instead of waiting for the cron",
            trigger: "button.o_quickbooks_process_now",
            run: "click",
        },
        { content: "The queue ran", trigger: ".o_notification:contains(processed)" },
        ...openBillOf("Tour Vendor"),
        { content: "Synced", trigger: ".o_quickbooks_badge:contains(Synced)" },
        { content: "With its QuickBooks number", trigger: ".o_quickbooks_number:contains(BILL/)" },
        { content: "And a link to it in QuickBooks", trigger: "button.o_quickbooks_open" },
    ],
});
