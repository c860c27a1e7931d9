/**
 * Library base classes whose subclasses must keep the names the library chose: the methods it
 * calls (`emit`, `do_GET`, `get_queryset`, `visit_Name`), the class attributes it reads
 * (`template_name`, `serializer_class`) and, for data models, every field (database columns and
 * JSON keys). The naming rules leave those names alone in a subclass.
 *
 * Data only: to cover another library, add an entry. A base matches an entry when the class it
 * resolves to is named in `classes` and lives in one of `packages` (its top-level package):
 * `django.views.generic.ListView`, `django.views.generic.list.ListView` and `generic.ListView`
 * after `from django.views import generic` all match the Django views entry.
 */
export interface FrameworkBase {
  /** What the entry covers. */
  label: string;
  /** Top-level packages the classes come from (`builtins` for `dict`, `list`…). */
  packages: readonly string[];
  /**
   * Class names (the last dotted part). A base produced by a call is written with `()`:
   * `declarative_base()` for `Base = declarative_base()`, `SQLAlchemy().Model` for `db.Model`
   * after `db = SQLAlchemy(app)`.
   */
  classes: readonly string[];
  /** Methods and class attributes of the base that subclasses override or set. */
  members?: readonly string[];
  /** Method name prefixes the base dispatches on (`visit_` → `visit_Name`). */
  prefixes?: readonly string[];
  /** Every class-level name of a subclass is a field of a data contract (a column, a JSON key, a form input). */
  dataFields?: boolean;
}

const UNITTEST_MEMBERS = [
  "setUp", "tearDown", "setUpClass", "tearDownClass", "asyncSetUp", "asyncTearDown", "setUpTestData",
  "run", "debug", "id", "shortDescription", "defaultTestResult", "countTestCases", "doCleanups", "doClassCleanups",
  "maxDiff", "longMessage", "failureException", "addTypeEqualityFunc",
  "fixtures", "databases", "reset_sequences", "available_apps", "serialized_rollback", "client_class", "async_client_class",
  "allow_database_queries",
];

const DJANGO_VIEW_MEMBERS = [
  "get", "post", "put", "patch", "delete", "head", "options", "trace", "dispatch", "setup", "http_method_not_allowed",
  "http_method_names", "get_queryset", "get_context_data", "get_object", "get_template_names", "form_valid",
  "form_invalid", "get_form", "get_form_class", "get_form_kwargs", "get_initial", "get_prefix", "get_success_url",
  "get_redirect_url", "get_context_object_name", "get_paginate_by", "get_paginator", "paginate_queryset",
  "get_paginate_orphans", "get_allow_empty", "get_slug_field", "get_ordering", "render_to_response", "get_login_url",
  "get_permission_required", "get_permission_denied_message", "get_redirect_field_name", "has_permission",
  "handle_no_permission", "test_func", "get_test_func", "delete", "get_date_field", "get_dated_items",
  "template_name", "template_name_suffix", "template_engine", "response_class", "content_type", "extra_context",
  "model", "queryset", "form_class", "success_url", "context_object_name", "paginate_by", "paginate_orphans",
  "paginator_class", "page_kwarg", "allow_empty", "fields", "initial", "prefix", "slug_field", "slug_url_kwarg",
  "pk_url_kwarg", "query_pk_and_slug", "ordering", "login_url", "permission_required", "permission_denied_message",
  "redirect_field_name", "raise_exception", "url", "pattern_name", "permanent", "query_string", "success_message",
  "date_field", "allow_future", "date_list_period", "make_object_list", "year_format", "month_format",
];

const DRF_VIEW_MEMBERS = [
  ...DJANGO_VIEW_MEMBERS,
  "list", "create", "retrieve", "update", "partial_update", "destroy", "perform_create", "perform_update",
  "perform_destroy", "get_serializer", "get_serializer_class", "get_serializer_context", "get_permissions",
  "get_authenticators", "get_throttles", "get_parsers", "get_renderers", "get_content_negotiator",
  "get_exception_handler", "filter_queryset", "get_paginated_response", "initial", "finalize_response",
  "handle_exception", "permission_denied", "check_permissions", "check_object_permissions", "get_view_name",
  "get_view_description", "initialize_request", "get_extra_action_url_map",
  "serializer_class", "permission_classes", "authentication_classes", "throttle_classes", "filter_backends",
  "pagination_class", "lookup_field", "lookup_url_kwarg", "lookup_value_regex", "parser_classes",
  "renderer_classes", "content_negotiation_class", "metadata_class", "versioning_class", "filterset_fields",
  "filterset_class", "search_fields", "ordering_fields", "throttle_scope", "schema", "basename", "detail",
];

const HTTP_SERVER_MEMBERS = [
  "handle", "handle_one_request", "handle_expect_100", "log_message", "log_error", "log_request", "send_error",
  "send_response", "send_response_only", "send_header", "end_headers", "flush_headers", "version_string",
  "date_time_string", "log_date_time_string", "address_string", "setup", "finish", "list_directory",
  "translate_path", "guess_type", "copyfile", "send_head", "server_version", "sys_version", "protocol_version",
  "error_message_format", "error_content_type", "extensions_map", "default_request_version", "timeout",
  "server_bind", "server_activate", "server_close", "handle_error", "handle_timeout", "process_request",
  "finish_request", "verify_request", "get_request", "service_actions", "shutdown_request", "close_request",
  "allow_reuse_address", "allow_reuse_port", "daemon_threads", "block_on_close", "request_queue_size",
  "address_family", "socket_type", "max_packet_size",
];

const MAPPING_MEMBERS = [
  "keys", "items", "values", "get", "pop", "popitem", "clear", "update", "setdefault", "copy", "fromkeys",
  "insert", "append", "extend", "remove", "index", "count", "reverse", "sort", "add", "discard", "isdisjoint",
  "move_to_end", "default_factory",
];

export const FRAMEWORK_BASES: readonly FrameworkBase[] = [
  // Standard library.
  {
    label: "ast visitors",
    packages: ["ast"],
    classes: ["NodeVisitor", "NodeTransformer"],
    members: ["visit", "generic_visit"],
    prefixes: ["visit_"],
  },
  {
    label: "logging handlers, filters and formatters",
    packages: ["logging"],
    classes: [
      "Handler", "StreamHandler", "FileHandler", "NullHandler", "WatchedFileHandler", "BaseRotatingHandler",
      "RotatingFileHandler", "TimedRotatingFileHandler", "SocketHandler", "DatagramHandler", "SysLogHandler",
      "NTEventLogHandler", "SMTPHandler", "MemoryHandler", "BufferingHandler", "HTTPHandler", "QueueHandler",
      "QueueListener", "Filter", "Formatter", "BufferingFormatter", "LoggerAdapter", "Logger",
    ],
    members: [
      "emit", "flush", "close", "handle", "handleError", "format", "filter", "formatTime", "formatException",
      "formatStack", "formatMessage", "usesTime", "createLock", "acquire", "release", "setFormatter", "setLevel",
      "process", "shouldRollover", "doRollover", "rotation_filename", "rotate", "makeRecord", "makePickle",
      "makeSocket", "mapPriority", "getSubject", "mapLogRecord", "shouldFlush", "prepare", "enqueue", "dequeue",
      "default_time_format", "default_msec_format", "converter",
    ],
  },
  {
    label: "json encoders and decoders",
    packages: ["json"],
    classes: ["JSONEncoder", "JSONDecoder"],
    members: ["default", "encode", "iterencode", "decode", "raw_decode", "item_separator", "key_separator"],
  },
  {
    label: "threads, processes and timers",
    packages: ["threading", "multiprocessing"],
    classes: ["Thread", "Timer", "Process"],
    members: ["run", "start", "join", "daemon"],
  },
  {
    label: "http.server and socketserver handlers and servers",
    packages: ["http", "socketserver", "wsgiref", "xmlrpc"],
    classes: [
      "BaseHTTPRequestHandler", "SimpleHTTPRequestHandler", "CGIHTTPRequestHandler", "HTTPServer",
      "ThreadingHTTPServer", "BaseRequestHandler", "StreamRequestHandler", "DatagramRequestHandler", "BaseServer",
      "TCPServer", "UDPServer", "UnixStreamServer", "UnixDatagramServer", "ThreadingMixIn", "ForkingMixIn",
      "ThreadingTCPServer", "ThreadingUDPServer", "ForkingTCPServer", "ForkingUDPServer", "WSGIRequestHandler",
      "WSGIServer", "SimpleXMLRPCRequestHandler", "SimpleXMLRPCServer",
    ],
    members: HTTP_SERVER_MEMBERS,
    prefixes: ["do_"],
  },
  {
    label: "unittest test cases and runners",
    packages: ["unittest", "django", "rest_framework", "asynctest"],
    classes: [
      "TestCase", "IsolatedAsyncioTestCase", "FunctionTestCase", "SimpleTestCase", "TransactionTestCase",
      "LiveServerTestCase", "StaticLiveServerTestCase", "APITestCase", "APISimpleTestCase", "APITransactionTestCase",
      "APILiveServerTestCase", "ClockedTestCase",
    ],
    members: UNITTEST_MEMBERS,
    prefixes: ["test"],
  },
  {
    label: "unittest results and runners",
    packages: ["unittest"],
    classes: ["TestResult", "TextTestResult", "TextTestRunner", "TestSuite", "TestLoader"],
    members: [
      "startTest", "stopTest", "startTestRun", "stopTestRun", "addError", "addFailure", "addSuccess", "addSkip",
      "addExpectedFailure", "addUnexpectedSuccess", "addSubTest", "addDuration", "wasSuccessful", "stop",
      "printErrors", "printErrorList", "getDescription", "run", "addTest", "addTests", "loadTestsFromTestCase",
      "loadTestsFromModule", "loadTestsFromName", "loadTestsFromNames", "getTestCaseNames", "discover",
      "testMethodPrefix", "sortTestMethodsUsing", "suiteClass", "resultclass", "separator1", "separator2",
    ],
  },
  {
    label: "html.parser",
    packages: ["html"],
    classes: ["HTMLParser"],
    members: ["feed", "close", "reset", "unknown_decl", "CDATA_CONTENT_ELEMENTS"],
    prefixes: ["handle_"],
  },
  {
    label: "xml.sax handlers",
    packages: ["xml"],
    classes: ["ContentHandler", "ErrorHandler", "DTDHandler", "EntityResolver", "LexicalHandler", "XMLFilterBase"],
    members: [
      "startDocument", "endDocument", "startElement", "endElement", "startElementNS", "endElementNS", "characters",
      "ignorableWhitespace", "processingInstruction", "skippedEntity", "setDocumentLocator", "startPrefixMapping",
      "endPrefixMapping", "error", "fatalError", "warning", "notationDecl", "unparsedEntityDecl", "resolveEntity",
      "comment", "startDTD", "endDTD", "startCDATA", "endCDATA",
    ],
  },
  {
    label: "cmd line interpreters",
    packages: ["cmd"],
    classes: ["Cmd"],
    members: [
      "default", "emptyline", "precmd", "postcmd", "preloop", "postloop", "onecmd", "completedefault", "completenames",
      "cmdloop", "parseline", "prompt", "intro", "identchars", "ruler", "lastcmd", "doc_header", "misc_header",
      "undoc_header", "use_rawinput",
    ],
    prefixes: ["do_", "help_", "complete_"],
  },
  {
    label: "asyncio protocols",
    packages: ["asyncio"],
    classes: ["BaseProtocol", "Protocol", "BufferedProtocol", "DatagramProtocol", "SubprocessProtocol"],
    members: [
      "connection_made", "connection_lost", "data_received", "eof_received", "datagram_received", "error_received",
      "pause_writing", "resume_writing", "get_buffer", "buffer_updated", "pipe_data_received",
      "pipe_connection_lost", "process_exited",
    ],
  },
  {
    label: "argparse actions and help formatters",
    packages: ["argparse"],
    classes: [
      "Action", "BooleanOptionalAction", "HelpFormatter", "RawDescriptionHelpFormatter", "RawTextHelpFormatter",
      "ArgumentDefaultsHelpFormatter", "MetavarTypeHelpFormatter", "ArgumentParser",
    ],
    members: [
      "format_usage", "format_help", "error", "exit", "parse_args", "parse_known_args", "convert_arg_line_to_args",
      "print_usage", "print_help", "_format_action", "_format_actions_usage", "_format_action_invocation",
      "_format_args", "_format_text", "_format_usage", "_fill_text", "_split_lines", "_get_help_string",
      "_get_default_metavar_for_optional", "_get_default_metavar_for_positional", "_metavar_formatter",
      "_iter_indented_subactions",
    ],
  },
  {
    label: "string formatters and templates",
    packages: ["string"],
    classes: ["Formatter", "Template"],
    members: [
      "format", "vformat", "parse", "get_field", "get_value", "check_unused_args", "format_field", "convert_field",
      "delimiter", "idpattern", "braceidpattern", "flags", "pattern",
    ],
  },
  {
    label: "io streams and codecs",
    packages: ["io", "codecs"],
    classes: [
      "IOBase", "RawIOBase", "BufferedIOBase", "TextIOBase", "Codec", "IncrementalEncoder", "IncrementalDecoder",
      "BufferedIncrementalEncoder", "BufferedIncrementalDecoder", "StreamReader", "StreamWriter", "StreamReaderWriter",
    ],
    members: [
      "read", "readinto", "readinto1", "read1", "readall", "write", "readline", "readlines", "writelines", "seek",
      "tell", "truncate", "flush", "close", "closed", "readable", "writable", "seekable", "fileno", "isatty", "detach",
      "encode", "decode", "reset", "getstate", "setstate",
    ],
  },
  {
    label: "pickle picklers",
    packages: ["pickle", "copyreg"],
    classes: ["Pickler", "Unpickler"],
    members: ["persistent_id", "persistent_load", "find_class", "reducer_override", "dispatch_table"],
  },
  {
    label: "enum members Python reserves",
    packages: ["enum"],
    classes: ["Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum"],
    members: ["_missing_", "_generate_next_value_", "_ignore_", "_order_", "_numeric_repr_", "_value_", "_name_", "_add_alias_", "_add_value_alias_"],
  },
  {
    label: "ctypes structures",
    packages: ["ctypes"],
    classes: ["Structure", "Union", "BigEndianStructure", "LittleEndianStructure", "BigEndianUnion", "LittleEndianUnion"],
    members: ["_fields_", "_pack_", "_anonymous_", "_align_", "_layout_"],
  },
  {
    label: "containers (dict, list, set and their abstract bases)",
    packages: ["builtins", "collections", "typing"],
    classes: [
      "dict", "list", "set", "frozenset", "Mapping", "MutableMapping", "Sequence", "MutableSequence", "Set", "MutableSet",
      "UserDict", "UserList", "OrderedDict", "defaultdict", "Counter", "ChainMap", "KeysView", "ItemsView", "ValuesView",
    ],
    members: MAPPING_MEMBERS,
  },
  {
    label: "typed dictionaries (keys of external data)",
    packages: ["typing", "typing_extensions"],
    classes: ["TypedDict"],
    dataFields: true,
  },

  // Django.
  {
    label: "Django class-based views and their mixins",
    packages: ["django"],
    classes: [
      "View", "TemplateView", "RedirectView", "ListView", "DetailView", "CreateView", "UpdateView", "DeleteView",
      "FormView", "ArchiveIndexView", "YearArchiveView", "MonthArchiveView", "WeekArchiveView", "DayArchiveView",
      "TodayArchiveView", "DateDetailView", "LoginView", "LogoutView", "PasswordChangeView", "PasswordResetView",
      "ContextMixin", "TemplateResponseMixin", "SingleObjectMixin", "MultipleObjectMixin", "FormMixin",
      "ModelFormMixin", "ProcessFormView", "DeletionMixin", "LoginRequiredMixin", "PermissionRequiredMixin",
      "UserPassesTestMixin", "AccessMixin", "SuccessMessageMixin",
    ],
    members: DJANGO_VIEW_MEMBERS,
  },
  {
    label: "Django models (fields are database columns)",
    packages: ["django"],
    classes: ["Model", "AbstractUser", "AbstractBaseUser", "PermissionsMixin"],
    members: [
      "save", "delete", "clean", "clean_fields", "full_clean", "validate_unique", "validate_constraints",
      "get_absolute_url", "natural_key", "from_db", "refresh_from_db", "get_deferred_fields", "objects",
      "USERNAME_FIELD", "EMAIL_FIELD", "REQUIRED_FIELDS", "get_full_name", "get_short_name", "get_username",
    ],
    dataFields: true,
  },
  {
    label: "Django managers and querysets",
    packages: ["django"],
    classes: ["Manager", "BaseManager", "QuerySet", "BaseUserManager", "UserManager"],
    members: ["get_queryset", "create", "get_by_natural_key", "create_user", "create_superuser", "normalize_email", "use_in_migrations"],
  },
  {
    label: "Django forms (fields are form inputs)",
    packages: ["django"],
    classes: ["Form", "ModelForm", "BaseForm", "BaseModelForm", "BaseFormSet", "BaseModelFormSet", "BaseInlineFormSet"],
    members: ["clean", "is_valid", "save", "full_clean", "add_error", "get_context", "field_order", "template_name", "prefix"],
    prefixes: ["clean_"],
    dataFields: true,
  },
  {
    label: "Django admin",
    packages: ["django"],
    classes: ["ModelAdmin", "TabularInline", "StackedInline", "InlineModelAdmin", "AdminSite"],
    members: [
      "list_display", "list_display_links", "list_filter", "list_select_related", "list_per_page", "list_max_show_all",
      "list_editable", "search_fields", "search_help_text", "date_hierarchy", "readonly_fields", "ordering",
      "fieldsets", "fields", "exclude", "inlines", "raw_id_fields", "prepopulated_fields", "autocomplete_fields",
      "filter_horizontal", "filter_vertical", "radio_fields", "form", "model", "extra", "max_num", "min_num",
      "can_delete", "show_change_link", "actions", "actions_on_top", "actions_on_bottom", "save_as", "save_on_top",
      "view_on_site", "formfield_overrides", "fk_name", "verbose_name", "verbose_name_plural", "site_header",
      "site_title", "index_title", "get_queryset", "get_readonly_fields", "get_list_display", "get_list_filter",
      "get_search_results", "get_fieldsets", "get_fields", "get_form", "get_formsets_with_inlines", "get_inlines",
      "get_urls", "get_actions", "get_ordering", "save_model", "delete_model", "save_formset", "save_related",
      "has_add_permission", "has_change_permission", "has_delete_permission", "has_view_permission",
      "has_module_permission", "formfield_for_foreignkey", "formfield_for_manytomany", "formfield_for_choice_field",
      "response_add", "response_change", "changelist_view", "change_view", "add_view", "delete_view",
    ],
  },
  {
    label: "Django management commands, apps, middleware and signals",
    packages: ["django"],
    classes: ["BaseCommand", "AppCommand", "LabelCommand", "AppConfig", "MiddlewareMixin"],
    members: [
      "handle", "add_arguments", "handle_app_config", "handle_label", "help", "requires_system_checks",
      "requires_migrations_checks", "output_transaction", "suppressed_base_arguments", "stealth_options",
      "ready", "name", "label", "verbose_name", "default_auto_field", "default", "path",
      "process_request", "process_response", "process_view", "process_exception", "process_template_response",
      "sync_capable", "async_capable",
    ],
  },

  // Django REST framework.
  {
    label: "DRF views and viewsets",
    packages: ["rest_framework"],
    classes: [
      "APIView", "GenericAPIView", "ViewSet", "GenericViewSet", "ModelViewSet", "ReadOnlyModelViewSet", "ViewSetMixin",
      "CreateAPIView", "ListAPIView", "RetrieveAPIView", "DestroyAPIView", "UpdateAPIView", "ListCreateAPIView",
      "RetrieveUpdateAPIView", "RetrieveDestroyAPIView", "RetrieveUpdateDestroyAPIView", "CreateModelMixin",
      "ListModelMixin", "RetrieveModelMixin", "UpdateModelMixin", "DestroyModelMixin",
    ],
    members: DRF_VIEW_MEMBERS,
  },
  {
    label: "DRF serializers (fields are JSON keys)",
    packages: ["rest_framework"],
    classes: ["Serializer", "ModelSerializer", "HyperlinkedModelSerializer", "ListSerializer", "BaseSerializer"],
    members: [
      "validate", "create", "update", "save", "to_representation", "to_internal_value", "get_fields",
      "get_field_names", "build_field", "get_extra_kwargs", "get_validators", "run_validation", "is_valid",
      "serializer_field_mapping", "serializer_related_field",
    ],
    prefixes: ["validate_", "get_"],
    dataFields: true,
  },
  {
    label: "DRF permissions, throttles, pagination, authentication, renderers and parsers",
    packages: ["rest_framework"],
    classes: [
      "BasePermission", "IsAuthenticated", "IsAdminUser", "DjangoModelPermissions", "BaseThrottle", "SimpleRateThrottle",
      "UserRateThrottle", "AnonRateThrottle", "ScopedRateThrottle", "BasePagination", "PageNumberPagination",
      "LimitOffsetPagination", "CursorPagination", "BaseAuthentication", "TokenAuthentication", "SessionAuthentication",
      "BaseRenderer", "JSONRenderer", "BaseParser", "JSONParser", "BaseFilterBackend",
    ],
    members: [
      "has_permission", "has_object_permission", "message", "code", "allow_request", "wait", "get_cache_key",
      "get_rate", "parse_rate", "throttle_success", "throttle_failure", "scope", "rate", "cache", "cache_format",
      "paginate_queryset", "get_paginated_response", "get_paginated_response_schema", "get_page_size",
      "page_size", "page_size_query_param", "max_page_size", "page_query_param", "limit_query_param",
      "offset_query_param", "max_limit", "default_limit", "cursor_query_param", "ordering",
      "authenticate", "authenticate_header", "authenticate_credentials", "keyword", "model", "enforce_csrf",
      "render", "media_type", "format", "charset", "parse", "filter_queryset", "get_schema_fields",
    ],
  },

  // Flask.
  {
    label: "Flask class-based views",
    packages: ["flask"],
    classes: ["View", "MethodView"],
    members: [
      "get", "post", "put", "patch", "delete", "head", "options", "dispatch_request", "methods", "decorators",
      "init_every_request", "provide_automatic_options",
    ],
  },
  {
    label: "Flask-SQLAlchemy and SQLAlchemy models (fields are database columns)",
    packages: ["sqlalchemy", "flask_sqlalchemy"],
    classes: ["DeclarativeBase", "DeclarativeBaseNoMeta", "declarative_base()", "SQLAlchemy().Model", "Model", "MappedAsDataclass"],
    members: ["metadata", "registry", "query", "query_class", "type_annotation_map"],
    dataFields: true,
  },

  // Data validation libraries.
  {
    label: "pydantic models and settings (fields are JSON keys and settings)",
    packages: ["pydantic", "pydantic_settings", "sqlmodel"],
    classes: ["BaseModel", "BaseSettings", "RootModel", "SQLModel", "GenericModel"],
    members: [
      "model_config", "model_post_init", "model_dump", "model_dump_json", "model_validate", "model_validate_json",
      "model_copy", "model_json_schema", "model_fields", "model_computed_fields", "model_rebuild",
      "model_parametrized_name", "dict", "json", "copy", "parse_obj", "parse_raw", "schema", "schema_json",
      "settings_customise_sources", "customise_sources",
    ],
    dataFields: true,
  },
  {
    label: "marshmallow schemas (fields are JSON keys)",
    packages: ["marshmallow"],
    classes: ["Schema", "SQLAlchemySchema", "SQLAlchemyAutoSchema"],
    members: ["load", "loads", "dump", "dumps", "validate", "handle_error", "on_bind_field", "get_attribute", "OPTIONS_CLASS"],
    dataFields: true,
  },
  {
    label: "msgspec structs (fields are wire keys)",
    packages: ["msgspec"],
    classes: ["Struct"],
    dataFields: true,
  },

  // Other common frameworks.
  {
    label: "Celery tasks",
    packages: ["celery"],
    classes: ["Task"],
    members: [
      "run", "on_success", "on_failure", "on_retry", "after_return", "before_start", "apply_async", "delay", "retry",
      "autoretry_for", "max_retries", "default_retry_delay", "retry_backoff", "retry_backoff_max", "retry_jitter",
      "rate_limit", "time_limit", "soft_time_limit", "ignore_result", "acks_late", "track_started", "serializer",
      "name", "queue", "priority", "typing", "throws",
    ],
  },
  {
    label: "Scrapy spiders and pipelines",
    packages: ["scrapy"],
    classes: ["Spider", "CrawlSpider", "SitemapSpider", "XMLFeedSpider", "CSVFeedSpider"],
    members: [
      "name", "allowed_domains", "start_urls", "custom_settings", "rules", "start_requests", "start", "parse",
      "parse_start_url", "process_results", "closed", "from_crawler", "sitemap_urls", "sitemap_rules",
      "sitemap_follow", "itertag", "iterator", "parse_node", "parse_row", "delimiter", "headers",
    ],
  },
  {
    label: "PyTorch modules and datasets",
    packages: ["torch", "lightning", "pytorch_lightning"],
    classes: ["Module", "Dataset", "IterableDataset", "LightningModule", "LightningDataModule", "Callback", "Function"],
    members: [
      "forward", "extra_repr", "reset_parameters", "train", "eval", "backward", "training_step", "validation_step",
      "test_step", "predict_step", "configure_optimizers", "setup", "teardown", "prepare_data", "train_dataloader",
      "val_dataloader", "test_dataloader", "predict_dataloader", "on_train_start", "on_train_end",
      "on_train_epoch_start", "on_train_epoch_end", "on_validation_epoch_end", "on_fit_start", "on_fit_end",
    ],
  },
];

const INDEX = new Map<string, FrameworkBase[]>();
for (const entry of FRAMEWORK_BASES) {
  for (const name of entry.classes) {
    const list = INDEX.get(name);
    if (list) list.push(entry);
    else INDEX.set(name, [entry]);
  }
}

/**
 * The entries a base class matches, given its class name (last part, or a factory form such as
 * `declarative_base()`) and the top-level package it comes from.
 */
export function frameworkBasesFor(className: string, topPackage: string): readonly FrameworkBase[] {
  const candidates = INDEX.get(className);
  if (!candidates) return [];
  return candidates.filter((entry) => entry.packages.includes(topPackage));
}
