package org.dstoken;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A token decoded by {@link Dstoken#decodeUnverified(String)}: its header and its claims, NOT
 * verified. Nothing here is proven: anyone can make a token with any header and claims. Close
 * it (or its {@link #claims()}) to free the native claim set at once.
 */
public final class DecodedToken implements AutoCloseable {
    private final String headerJson;
    private final Map<String, Object> header;
    private final Claims claims;

    DecodedToken(String headerJson, Claims claims) {
        this.headerJson = headerJson;
        this.claims = claims;
        Object h = new Json(headerJson).value();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) h;
        this.header = Collections.unmodifiableMap(m);
    }

    /**
     * The header, as a map: strings as {@link String}, numbers as {@link Long} or
     * {@link BigDecimal}, booleans, null, arrays as {@link List}, objects as {@link Map}.
     *
     * @return the header, e.g. {@code {alg=HS256, typ=JWT}}
     */
    public Map<String, Object> header() {
        return header;
    }

    /**
     * The header as compact JSON text, as the library returned it.
     *
     * @return the header's JSON
     */
    public String headerJson() {
        return headerJson;
    }

    /**
     * The claims (unverified).
     *
     * @return the claims, closed with this object
     */
    public Claims claims() {
        return claims;
    }

    @Override
    public void close() {
        claims.close();
    }

    @Override
    public String toString() {
        return "DecodedToken[unverified, header " + headerJson + "]";
    }

    /** Reads the library's compact JSON (already strict and valid) into Java values. */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    Map<String, Object> m = new LinkedHashMap<>();
                    i++;
                    while (s.charAt(i) != '}') {
                        String k = string();
                        i++; // ':'
                        m.put(k, value());
                        if (s.charAt(i) == ',') {
                            i++;
                        }
                    }
                    i++;
                    return Collections.unmodifiableMap(m);
                }
                case '[': {
                    List<Object> l = new ArrayList<>();
                    i++;
                    while (s.charAt(i) != ']') {
                        l.add(value());
                        if (s.charAt(i) == ',') {
                            i++;
                        }
                    }
                    i++;
                    return Collections.unmodifiableList(l);
                }
                case '"':
                    return string();
                case 't':
                    i += 4;
                    return Boolean.TRUE;
                case 'f':
                    i += 5;
                    return Boolean.FALSE;
                case 'n':
                    i += 4;
                    return null;
                default: {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    BigDecimal d = new BigDecimal(s.substring(start, i));
                    try {
                        return d.longValueExact();
                    } catch (ArithmeticException notLong) {
                        return d;
                    }
                }
            }
        }

        String string() {
            StringBuilder out = new StringBuilder();
            i++; // '"'
            for (char c; (c = s.charAt(i++)) != '"'; ) {
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'u':
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default: out.append(e);
                }
            }
            return out.toString();
        }
    }
}
