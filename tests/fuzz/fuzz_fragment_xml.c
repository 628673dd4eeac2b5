/*
 * fuzz_fragment_xml: the reader of the junit backend's XML fragments, fed
 * any bytes.
 *
 * The same harness and properties as fuzz_fragment.c, for XML: whatever a
 * tests/NNNNNN.xml holds (a DOCTYPE, entities, deep nesting, escapes),
 * fragment_xml_decode returns a result or an error, and a result it
 * accepts encodes back to a document that decodes to the same result.
 */
#define FUZZ_BACKEND	BACKEND_JUNIT
#include "fuzz_fragment.c"
