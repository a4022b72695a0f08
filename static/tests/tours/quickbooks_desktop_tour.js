import { registry } from "@web/core/registry";

// Settings > QuickBooks, the company on QuickBooks Desktop: the Web Connector's password is
// generated and copied, the setup file downloaded.
registry.category("web_tour.tours").add("quickbooks_desktop_setup", {
    steps: () => [
        {
            content: "The QuickBooks Desktop block is shown",
            trigger: ".o_setting_container:contains(Web Connector) button.o_quickbooks_qbd_download:visible",
        },
        {
            content: "Generate the Web Connector password",
            trigger: "button.o_quickbooks_qbd_password",
            run: "click",
        },
        {
            content: "It is shown once, with a copy button",
            trigger: ".modal-dialog:contains(It is shown only now) div[name=password] .o_clipboard_button",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".modal-dialog .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Download the setup file",
            trigger: "button.o_quickbooks_qbd_download:not(:disabled)",
            run: "click",
        },
        {
            content: "The settings are still there",
            trigger: "button.o_quickbooks_qbd_download",
        },
    ],
});

// An invoice sent with Sync to QuickBooks waits for the Web Connector...
registry.category("web_tour.tours").add("quickbooks_desktop_invoice_queued", {
    steps: () => [
        {
            content: "Open the invoice",
            trigger: ".o_data_row:contains(Desktop Tour Customer) td[name=invoice_partner_display_name]",
            run: "click",
        },
        { content: "Sync to QuickBooks", trigger: "button[name=action_quickbooks_sync]", run: "click" },
        { content: "Queued", trigger: ".o_quickbooks_badge:contains(Queued)" },
    ],
});

// ...and is synced once a Web Connector session ran.
registry.category("web_tour.tours").add("quickbooks_desktop_invoice_synced", {
    steps: () => [
        {
            content: "Open the invoice",
            trigger: ".o_data_row:contains(Desktop Tour Customer) td[name=invoice_partner_display_name]",
            run: "click",
        },
        { content: "Synced", trigger: ".o_quickbooks_badge:contains(Synced)" },
    ],
});
