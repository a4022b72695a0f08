import { onWillDestroy } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { FormController } from "@web/views/form/form_controller";

/**
 * A record's QuickBooks state changes in a queue worker, not in the browser: the worker tells
 * the person who queued it (bus notification "quickbooks_sync/state"), and an open form of
 * that record reloads itself, so that its badge goes from Queued to Synced (or Error) without
 * a reload. A form with unsaved changes is left alone.
 */
patch(FormController.prototype, {
    setup() {
        super.setup(...arguments);
        const bus = this.env.services.bus_service;
        if (!bus) {
            return;
        }
        const onState = async ({ model, ids }) => {
            const root = this.model.root;
            if (!root || root.isNew || root.resModel !== model || !ids.includes(root.resId)) {
                return;
            }
            if (await root.isDirty()) {
                return;
            }
            await root.load();
        };
        bus.subscribe("quickbooks_sync/state", onState);
        onWillDestroy(() => bus.unsubscribe("quickbooks_sync/state", onState));
    },
});
