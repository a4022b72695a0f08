import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// The invoice form follows the queue: its badge goes from Queued to Synced when the queue
// sends it (bus notification), without the page or the view being reloaded by the user.
registry.category("web_tour.tours").add("quickbooks_live_status", {
    steps: () => [
        {
            content: "Open the invoice",
            trigger: ".o_data_row:contains(Live Customer) td[name=invoice_partner_display_name]",
            run: "click",
        },
        { content: "Sync to QuickBooks", trigger: "button[name=action_quickbooks_sync]", run: "click" },
        { content: "Queued", trigger: ".o_quickbooks_badge:contains(Queued)" },
        {
            content: "The queue sends it in the background (as its worker would); the page stays as it is",
            trigger: ".o_quickbooks_badge:contains(Queued)",
            async run() {
                window.quickbooksSamePage = true;
                await rpc("/web/dataset/call_kw/quickbooks.sync.job/action_process_now", {
                    model: "quickbooks.sync.job", method: "action_process_now", args: [[]], kwargs: {},
                });
            },
        },
        { content: "The badge turns Synced by itself", trigger: ".o_quickbooks_badge:contains(Synced)" },
        { content: "With its QuickBooks number", trigger: ".o_quickbooks_number:contains(INV/)" },
        {
            content: "Without a reload of the page",
            trigger: ".o_quickbooks_badge:contains(Synced)",
            run() {
                if (!window.quickbooksSamePage) {
                    throw new Error("the page was reloaded");
                }
            },
        },
    ],
});
