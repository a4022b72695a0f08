import { registry } from "@web/core/registry";

const TIMESHEETS = "/odoo/all-timesheets";
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

function filterBy(label) {
    return [
        { content: "Open the filters", trigger: ".o_searchview_dropdown_toggler", run: "click" },
        { content: `Filter ${label}`, trigger: `.o-dropdown-item:contains(${label})`, run: "click" },
        { content: "Close the filters", trigger: ".o_searchview_dropdown_toggler", run: "click" },
    ];
}

registry.category("web_tour.tours").add("quickbooks_timesheet_send", {
    steps: () => [
        goTo(TIMESHEETS),
        ...filterBy("Not sent"),
        { content: "The unsent entries", trigger: ".o_data_row:contains(Tour timesheet A)" },
        { content: "And the other one", trigger: ".o_data_row:contains(Tour timesheet B)" },
        { content: "Select them all", trigger: "thead .o_list_record_selector input", run: "click" },
        { content: "Send to QuickBooks", trigger: "button[name=action_quickbooks_sync]", run: "click" },
        { content: "The review: both entries, to send", trigger: ".modal .o_quickbooks_time_review:contains(2)" },
        { content: "Entry A in the review", trigger: ".modal .o_data_row:contains(Tour timesheet A):contains(To send)" },
        { content: "Entry B in the review", trigger: ".modal .o_data_row:contains(Tour timesheet B):contains(To send)" },
        { content: "Send them", trigger: ".modal button[name=action_send]", run: "click" },
        { content: "Queued", trigger: ".o_notification:contains(queued for QuickBooks)" },
        goTo(SYNC_LOG),
        { content: "Send the queue now", trigger: "button.o_quickbooks_process_now", run: "click" },
        { content: "The queue ran", trigger: ".o_notification:contains(processed)" },
        goTo(TIMESHEETS),
        { content: "Entry A is sent", trigger: ".o_data_row:contains(Tour timesheet A) td[name=quickbooks_state]:contains(Synced)" },
        { content: "Entry B is sent", trigger: ".o_data_row:contains(Tour timesheet B) td[name=quickbooks_state]:contains(Synced)" },
        ...filterBy("Not sent"),
        { content: "Nothing is left to send", trigger: ".o_view_nocontent" },
    ],
});
