import { registry } from "@web/core/registry";

const SETTINGS = "/odoo/action-quickbooks_sync.action_quickbooks_settings";
const SYNC_LOG = "/odoo/quickbooks-sync-log";

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

registry.category("web_tour.tours").add("quickbooks_sync_all", {
    steps: () => [
        goTo(SETTINGS),
        { content: "Sync everything now", trigger: "button.o_quickbooks_sync_all_button", run: "click" },
        { content: "Choose what, from when; preview", trigger: ".modal button.o_quickbooks_sync_all_preview_button", run: "click" },
        {
            content: "The preview counts what would be sent, per kind",
            trigger: ".modal .o_quickbooks_sync_all_lines .o_data_row:contains(Customer invoices) td[name=to_send]:contains(2)",
        },
        { content: "And what cannot be sent, and why", trigger: ".modal .o_quickbooks_sync_all_lines td:contains(not posted)" },
        { content: "Send", trigger: ".modal button.o_quickbooks_sync_all_send", run: "click" },
        { content: "Queued in the background", trigger: ".o_notification:contains(queued)" },
        goTo(SETTINGS),
        { content: "The progress shows in the settings", trigger: ".o_quickbooks_sync_run_running .o_quickbooks_sync_run_progress" },
        goTo(SYNC_LOG),
        { content: "Send the queue now instead of waiting for the workers", trigger: "button.o_quickbooks_process_now", run: "click" },
        { content: "The queue ran", trigger: ".o_notification:contains(processed)" },
        goTo(SETTINGS),
        { content: "Done, with what was sent", trigger: ".o_quickbooks_sync_run_done:contains(0 failed)" },
    ],
});
