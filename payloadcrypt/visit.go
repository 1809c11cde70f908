package payloadcrypt

import (
	commonpb "go.temporal.io/api/common/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

var (
	payloadName          = (&commonpb.Payload{}).ProtoReflect().Descriptor().FullName()
	searchAttributesName = (&commonpb.SearchAttributes{}).ProtoReflect().Descriptor().FullName()
)

// VisitPayloads calls fn for every payload the codec sees anywhere in m (a
// history event, a whole history), by reflection: every event type
// Temporal has or will add is covered without naming it. Search attributes
// are skipped: Temporal indexes them, so they are never encrypted.
func VisitPayloads(m proto.Message, fn func(*commonpb.Payload)) {
	visit(m.ProtoReflect(), fn)
}

func visit(m protoreflect.Message, fn func(*commonpb.Payload)) {
	switch m.Descriptor().FullName() {
	case searchAttributesName:
		return
	case payloadName:
		if p, ok := m.Interface().(*commonpb.Payload); ok {
			fn(p)
		}
		return
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			list := v.List()
			for i := range list.Len() {
				visit(list.Get(i).Message(), fn)
			}
		case fd.IsMap() && fd.MapValue().Message() != nil:
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				visit(mv.Message(), fn)
				return true
			})
		case !fd.IsList() && !fd.IsMap() && fd.Message() != nil:
			visit(v.Message(), fn)
		}
		return true
	})
}
