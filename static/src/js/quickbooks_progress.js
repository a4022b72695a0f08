import { registry } from "@web/core/registry";

/**
 * An import from QuickBooks (reference data, records) reports each step on the bus
 * ("quickbooks_sync/progress", one ``id`` per run): one notification per run, replaced by each
 * step (not one stacked notification per step), and closed when the run ends.
 */
export const quickbooksProgressService = {
    dependencies: ["bus_service", "notification"],
    start(env, { bus_service, notification }) {
        const open = new Map();
        bus_service.subscribe("quickbooks_sync/progress", ({ id, title, message, done }) => {
            const close = open.get(id);
            open.delete(id);
            if (!done) {
                open.set(id, notification.add(message, {
                    title, type: "info", sticky: true, className: "o_quickbooks_progress",
                }));
            }
            if (close) {
                close();
            }
        });
        bus_service.start();
    },
};

registry.category("services").add("quickbooks_progress", quickbooksProgressService);
