// Debian's libxml2 is built with ICU; its <unicode/*.h> clash with Foundation's bundled ICU
// module in any Swift module importing both. No ICU-dependent field is touched from Swift.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>
#include <libxml/uri.h>

// xmlFree is a global function pointer, which Swift 6 refuses as shared mutable state.
static inline void fw_xmlFree(void *p) { xmlFree(p); }

// Undefined HTML entities (&nbsp; &eacute; …) are common in real feeds. The SAX
// getEntity callback answers them with a "predefined" entity so libxml2 emits the
// replacement text as characters instead of dropping it. The caller owns the
// entity and frees it with fw_freeEntity after the parse.
#include <libxml/entities.h>
#include <string.h>
static inline xmlEntityPtr fw_newTextEntity(const xmlChar *name, const xmlChar *utf8) {
    xmlEntityPtr e = (xmlEntityPtr)xmlMalloc(sizeof(xmlEntity));
    if (e == NULL) return NULL;
    memset(e, 0, sizeof(xmlEntity));
    e->type = XML_ENTITY_DECL;
    e->etype = XML_INTERNAL_PREDEFINED_ENTITY;
    e->name = xmlStrdup(name);
    e->content = xmlStrdup(utf8);
    e->orig = xmlStrdup(utf8);
    e->length = xmlStrlen(utf8);
    return e;
}
static inline void fw_freeEntity(xmlEntityPtr e) {
    if (e == NULL) return;
    xmlFree((void *)e->name);
    xmlFree(e->content);
    xmlFree(e->orig);
    xmlFree(e);
}
