package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.List;

/**
 * An array: its first items each fit their prefixItems schema, every item fits items (when given), a bound on its
 * size, unique items. The standard applies items only after the prefix; here a prefix item must fit both, which is
 * stricter and so right under either reading. Uniqueness is only sure for strings (distinct texts are distinct
 * values however numbers compare); other items under uniqueItems are left to the validator.
 */
record ArrayCheck(List<ValueCheck> prefixItems, ValueCheck items, int minItems, int maxItems, boolean uniqueItems)
        implements ValueCheck {
    @Override
    public boolean fits(JsonNode value) {
        if (!value.isArray() || value.size() < minItems || value.size() > maxItems) return false;
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (i < prefixItems.size() && !prefixItems.get(i).fits(item)) return false;
            if (items != null && !items.fits(item)) return false;
        }
        return !uniqueItems || distinctTexts(value);
    }

    private static boolean distinctTexts(JsonNode array) {
        var seen = new HashSet<String>();
        for (JsonNode item : array) {
            if (!item.isTextual() || !seen.add(item.textValue())) return false;
        }
        return true;
    }
}
