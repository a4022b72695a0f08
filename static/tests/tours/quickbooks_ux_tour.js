import { rpc } from "@web/core/network/rpc";
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

function offeredLabels() {
    return [...document.querySelectorAll(".o-autocomplete--dropdown-item")]
        .filter((item) => !item.querySelector(".o_m2o_no_result, .o_loading") && !item.classList.contains("o_m2o_no_result"))
        .map((item) => item.innerText.trim())
        .filter((label) => label && label !== "No records" && !/^search more/i.test(label))
        .sort();
}

/** The picker of ``field`` offers exactly ``expected`` (labels) for ``search``: checked until the
 * search typed has answered (the list shown while typing is the previous one). */
function pickerOffers(field, search, expected) {
    const want = JSON.stringify([...expected].sort());
    return [
        { content: `Search ${search} in ${field}`, trigger: `div[name=${field}] input`, run: `edit ${search}` },
        {
            content: `${field} offers ${expected.join(", ") || "nothing"} for ${search}`,
            trigger: ".o-autocomplete--dropdown-menu:not(:has(.o_loading))",
            async run() {
                let got = null;
                for (let waited = 0; waited < 8000; waited += 100) {
                    const menu = document.querySelector(".o-autocomplete--dropdown-menu");
                    const answered = menu && !menu.querySelector(".o_loading") &&
                        (expected.length || menu.querySelector(".o_m2o_no_result"));
                    got = JSON.stringify(offeredLabels());
                    if (answered && got === want) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                throw new Error(`${field} offers ${got} for "${search}", expected ${want}`);
            },
        },
    ];
}

function sendNow() {
    return [
        goTo(SYNC_LOG),
        { content: "Send the queue now", trigger: "button.o_quickbooks_process_now", run: "click" },
        { content: "The queue ran", trigger: ".o_notification:contains(processed)" },
    ];
}

registry.category("web_tour.tours").add("quickbooks_sync_defaults", {
    steps: () => [
        goTo(SETTINGS),
        { content: "The sync defaults", trigger: "div[name=quickbooks_default_class_ref_id] input" },
        // Class: only QuickBooks classes, not the item or the account named alike.
        ...pickerOffers("quickbooks_default_class_ref_id", "Design", ["Design"]),
        { content: "Choose the class", trigger: ".o-autocomplete--dropdown-item:contains(Design)", run: "click" },
        ...pickerOffers("quickbooks_default_class_ref_id", "Mastercard", []),
        { content: "Put the class back", trigger: "div[name=quickbooks_default_class_ref_id] input", run: "edit Design" },
        { content: "Choose it", trigger: ".o-autocomplete--dropdown-item:contains(Design)", run: "click" },
        // Expense account: expense accounts only, no income account.
        ...pickerOffers("quickbooks_default_expense_account_ref_id", "Services", []),
        { content: "Leave it", trigger: "div[name=quickbooks_default_expense_account_ref_id] input", run: "edit Office" },
        { content: "Choose Office Expenses", trigger: ".o-autocomplete--dropdown-item:contains(Office Expenses)", run: "click" },
        // Income account: income accounts only.
        ...pickerOffers("quickbooks_default_income_account_ref_id", "Cost", []),
        ...pickerOffers("quickbooks_default_income_account_ref_id", "Design", ["Design income"]),
        { content: "Choose Design income", trigger: ".o-autocomplete--dropdown-item:contains(Design income)", run: "click" },
        // Location: QuickBooks locations only.
        ...pickerOffers("quickbooks_default_department_ref_id", "o", ["North", "South"]),
        { content: "Choose North", trigger: ".o-autocomplete--dropdown-item:contains(North)", run: "click" },
        { content: "Save", trigger: ".o_form_button_save", run: "click", expectUnloadPage: true },
        { content: "Saved", trigger: "div[name=quickbooks_default_department_ref_id] input:value(North)" },
        {
            content: "A wrong value written over RPC is refused, with the reason",
            trigger: "body",
            async run() {
                const [card] = await rpc("/web/dataset/call_kw/quickbooks.reference/search_read", {
                    model: "quickbooks.reference", method: "search_read",
                    args: [[["name", "=", "Mastercard"], ["qbo_entity", "=", "Account"]], ["id"]], kwargs: {},
                });
                const [connection] = await rpc("/web/dataset/call_kw/quickbooks.connection/search_read", {
                    model: "quickbooks.connection", method: "search_read", args: [[], ["id"]], kwargs: {},
                });
                let message = null;
                try {
                    await rpc("/web/dataset/call_kw/quickbooks.connection/write", {
                        model: "quickbooks.connection", method: "write",
                        args: [[connection.id], { default_class_ref_id: card.id }], kwargs: {},
                    });
                } catch (error) {
                    message = error.data?.message || error.message;
                }
                if (!message || !message.includes("not a Class")) {
                    throw new Error(`Class = a credit-card account was not refused: ${message}`);
                }
                document.body.dataset.quickbooksRefused = message;
            },
        },
        { content: "Refused with the reason", trigger: "body[data-quickbooks-refused*='Credit Card']" },
    ],
});

registry.category("web_tour.tours").add("quickbooks_record_status", {
    steps: () => [
        // A customer: Sync to QuickBooks from its form, then its badge, QuickBooks name and link.
        goTo("/odoo/customers"),
        { content: "Open the customer", trigger: ".o_data_row:contains(Books by Bessie) td.o_data_cell, .o_kanban_record:contains(Books by Bessie)", run: "click" },
        { content: "Not in QuickBooks yet", trigger: ".o_quickbooks_badge:contains(Not synced)" },
        { content: "Sync to QuickBooks", trigger: ".o_quickbooks_badge button.o_quickbooks_sync_button", run: "click" },
        { content: "Queued", trigger: ".o_quickbooks_badge:contains(Queued)" },
        ...sendNow(),
        goTo("/odoo/customers"),
        { content: "Open the customer again", trigger: ".o_data_row:contains(Books by Bessie) td.o_data_cell, .o_kanban_record:contains(Books by Bessie)", run: "click" },
        { content: "Synced", trigger: ".o_quickbooks_badge:contains(Synced)" },
        { content: "Its QuickBooks name", trigger: ".o_quickbooks_name:contains(Books by Bessie - 2)" },
        { content: "A link to it in QuickBooks", trigger: ".o_quickbooks_badge button.o_quickbooks_open" },
        { content: "Said in the chatter", trigger: ".o-mail-Message:contains(Sent to QuickBooks as Customer)" },

        // A product: the same on the product form.
        goTo("/odoo/customer-products"),
        { content: "Open the product", trigger: ".o_kanban_record:contains(Tour Bessie service), .o_data_row:contains(Tour Bessie service) td", run: "click" },
        { content: "Sync to QuickBooks", trigger: ".o_quickbooks_badge button.o_quickbooks_sync_button", run: "click" },
        { content: "Queued", trigger: ".o_quickbooks_badge:contains(Queued)" },
        ...sendNow(),
        goTo("/odoo/customer-products"),
        { content: "Open the product again", trigger: ".o_kanban_record:contains(Tour Bessie service), .o_data_row:contains(Tour Bessie service) td", run: "click" },
        { content: "Synced", trigger: ".o_quickbooks_badge:contains(Synced)" },
        { content: "Its QuickBooks item", trigger: ".o_quickbooks_name:contains(Tour Bessie service)" },
        { content: "A link to it in QuickBooks", trigger: ".o_quickbooks_badge button.o_quickbooks_open" },
        { content: "Said in the product's chatter", trigger: ".o-mail-Message:contains(Sent to QuickBooks as Item)" },
    ],
});

registry.category("web_tour.tours").add("quickbooks_sync_disconnected", {
    steps: () => [
        goTo("/odoo/action-account.action_move_out_invoice_type"),
        {
            content: "Open the invoice",
            trigger: ".o_data_row:contains(Offline Customer) td[name=invoice_partner_display_name]",
            run: "click",
        },
        { content: "Sync to QuickBooks", trigger: "button[name=action_quickbooks_sync]", run: "click" },
        {
            content: "Told the company is not connected, and what to do",
            trigger: ".o_notification:contains(is not connected to QuickBooks):contains(Connect to QuickBooks)",
        },
        { content: "The badge says it waits", trigger: ".o_quickbooks_badge:contains(Queued)" },
        { content: "...and why", trigger: ".o_quickbooks_not_connected:contains(is not connected to QuickBooks)" },
    ],
});
