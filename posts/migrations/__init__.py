"""The seed of the posts table, used by the migration 0001_initial and, after every migrate, by
PostsConfig's post_migrate handler (a database built without migrations has it too)."""

# POST-1: the six posts of the rule book in three groups (names as the rule book writes them; shown
# translated by key).
SIX_POSTS = (
    ("finance_supervision", "supervision", "财务监督岗", 10, "监督社区财务收支、公开和账目管理。"),
    ("major_matters_supervision", "supervision", "重大事项监督岗", 20, "监督社区重大事项的决策程序和执行。"),
    ("public_order", "public", "社会治安岗", 30, "负责社区治安防范、矛盾调解和安全巡查。"),
    ("environmental_hygiene", "public", "环境卫生岗", 40, "负责社区环境卫生、绿化美化和卫生检查。"),
    ("policy_publicity", "ideology", "政策宣传岗", 50, "负责宣传党的方针政策和法律法规。"),
    ("civility", "ideology", "精神文明岗", 60, "负责社区精神文明建设和文明创建活动。"),
)


def seed(apps) -> None:
    Post = apps.get_model("posts", "Post")
    for key, group, name, order, duties in SIX_POSTS:
        Post.objects.get_or_create(key=key, defaults={"group": group, "name": name, "order": order,
                                                      "duties": duties})
