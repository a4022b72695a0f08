import { registry } from "@web/core/registry";
import { ReferenceField, referenceField } from "@web/views/fields/reference/reference_field";

/**
 * The reference data list's one "Odoo record" column: a reference field whose model comes from
 * the row's QuickBooks type (option model_field) and whose picker offers only what fits the
 * row (option domain_field: a field of the record holding the domain).
 */
export class QuickbooksOdooRecordField extends ReferenceField {
    static props = {
        ...ReferenceField.props,
        domainField: { type: String, optional: true },
    };

    get m2oProps() {
        const props = super.m2oProps;
        const domainField = this.props.domainField;
        if (domainField) {
            props.domain = () => this.props.record.data[domainField] || [];
        }
        return props;
    }
}

export const quickbooksOdooRecordField = {
    ...referenceField,
    component: QuickbooksOdooRecordField,
    extractProps(fieldInfo, dynamicInfo) {
        return {
            ...referenceField.extractProps(fieldInfo, dynamicInfo),
            domainField: fieldInfo.options.domain_field,
        };
    },
};

registry.category("fields").add("quickbooks_odoo_record", quickbooksOdooRecordField);
