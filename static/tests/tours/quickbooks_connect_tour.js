import { registry } from "@web/core/registry";

// Part 1, in Odoo: the admin opens the QuickBooks settings and clicks Connect. The browser
// then leaves Odoo for Intuit's consent page (the emulator's, in the tests).
registry.category("web_tour.tours").add("quickbooks_connect_start", {
    steps: () => [
        {
            content: "The QuickBooks block says the company is not connected",
            trigger: ".o_setting_container .o_quickbooks_not_connected:visible",
        },
        {
            content: "The redirect URI to copy into the Intuit app is shown",
            trigger: "div[name=quickbooks_redirect_uri]:contains(/quickbooks/oauth/callback)",
        },
        {
            content: "Connect to QuickBooks",
            trigger: "button.o_quickbooks_connect",
            run: "click",
        },
    ],
});

// Part 2, back in Odoo after the consent page: connected, tested, disconnected.
registry.category("web_tour.tours").add("quickbooks_connected", {
    steps: () => [
        {
            content: "The settings show the connected QuickBooks company",
            trigger: ".o_quickbooks_connected:visible",
        },
        {
            content: "...by name",
            trigger: ".o_quickbooks_status_message:contains(Connected to Tour Books)",
        },
        {
            content: "...with the days left before the authorization must be renewed",
            trigger: "div[name=quickbooks_refresh_token_days_left]:contains(10)",
        },
        {
            content: "Test the connection",
            trigger: "button.o_quickbooks_test",
            run: "click",
        },
        {
            content: "QuickBooks answered",
            trigger: ".o_notification:contains(Connected to Tour Books)",
        },
        {
            content: "Disconnect",
            trigger: "button.o_quickbooks_disconnect",
            run: "click",
        },
        {
            content: "The dialog explains that QuickBooks ids are kept",
            trigger: ".modal-dialog:contains(Every QuickBooks ID already stored in Odoo is kept)",
        },
        {
            content: "Confirm",
            trigger: ".modal-dialog button.o_quickbooks_confirm_disconnect",
            run: "click",
        },
        {
            content: "Disconnected",
            trigger: ".o_notification:contains(is no longer connected to Tour Books)",
        },
        {
            content: "The block offers to connect again",
            trigger: "button.o_quickbooks_connect:visible",
        },
    ],
});
