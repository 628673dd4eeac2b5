/*
 * fragment: one test's result to and from the bytes of its fragment file,
 * by the codec of the run's backend: fragment_json.c, or fragment_xml.c
 * for the junit backend.  The codecs know nothing of each other; what
 * they share (the format name and the versions read) is
 * fragment_version.h.
 */
#include <stddef.h>

#include "store/fragment.h"
#include "store/fragment_json.h"
#include "store/fragment_xml.h"

/* One backend's codec. */
struct fragment_codec {
	const char	*extension;
	char		*(*encode)(const struct prun_result *, size_t *,
			    struct prun_error *);
	int		 (*decode)(const char *, size_t, const char *,
			    struct prun_result *, struct prun_error *);
};

static const struct fragment_codec json_codec = {
	"json", fragment_json_encode, fragment_json_decode
};
static const struct fragment_codec xml_codec = {
	"xml", fragment_xml_encode, fragment_xml_decode
};

/* The codec of a backend. */
static const struct fragment_codec *
codec(enum prun_backend backend)
{
	return backend == BACKEND_JUNIT ? &xml_codec : &json_codec;
}

/* Ready the encoders for threads; see fragment.h. */
void
fragment_init(void)
{
	fragment_xml_init();
}

/* The file name extension of a backend's fragments. */
const char *
fragment_extension(enum prun_backend backend)
{
	return codec(backend)->extension;
}

/* Serialize r in a backend's format. */
char *
fragment_encode(const struct prun_result *r, enum prun_backend backend,
    size_t *len, struct prun_error *err)
{
	return codec(backend)->encode(r, len, err);
}

/* Parse a fragment in a backend's format. */
int
fragment_decode(const char *buf, size_t len, enum prun_backend backend,
    const char *what, struct prun_result *r, struct prun_error *err)
{
	return codec(backend)->decode(buf, len, what, r, err);
}
